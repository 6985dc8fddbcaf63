package notify

import (
	"strings"

	"github.com/ccwake/ccwake/internal/termsafe"
)

// osascriptScript is the AppleScript that shows a notification: its text
// comes in as the run handler's arguments, never as part of the source,
// so no title or message can end a string literal and run code of its own
// (`" & (do shell script "…") & "`), whatever quotes, backslashes or
// newlines it holds. The script holds no string literal at all.
var osascriptScript = []string{
	"on run argv",
	"display notification (item 1 of argv) with title (item 2 of argv)",
	"end run",
}

// osascriptArgs is the argv after "osascript" that shows message under
// title: the script as -e lines, then the two texts as arguments. It is
// pure so that what macOS runs is tested everywhere.
func osascriptArgs(title, message string) []string {
	args := make([]string, 0, 2*len(osascriptScript)+2)
	for _, line := range osascriptScript {
		args = append(args, "-e", line)
	}
	return append(args, osascriptText(message), osascriptText(title))
}

// osascriptText is s as an argument to osascript: without control or bidi
// characters (termsafe: Notification Center shows what a terminal would
// obey or reorder, and a NUL cannot be passed at all), and never starting
// with "-", so that no option parser, permuting or not, reads it as an
// option such as -e (a leading space shows the same).
func osascriptText(s string) string {
	s = termsafe.String(s)
	if strings.HasPrefix(s, "-") {
		s = " " + s
	}
	return s
}
