package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testwait"
)

// sshServer is a real OpenSSH sshd on 127.0.0.1 with a throwaway host key,
// one authorized user key and a client config: the transport of the
// several-machines tests. Started and stopped by PID.
type sshServer struct {
	t    *testing.T
	dir  string
	port int
	// closedPort is where host "dead" points: nothing listens there.
	closedPort int
	pid        int
	cmd        *exec.Cmd
	cfgFile    string // ssh client config (-F)
	log        string // sshd's log (-E)
}

// startSSHD starts sshd or skips the test with the reason it cannot.
func startSSHD(t *testing.T, dir string) *sshServer {
	t.Helper()
	sshd := "/usr/sbin/sshd"
	if _, err := os.Stat(sshd); err != nil {
		t.Skip("sshd is not installed (apt-get install openssh-server): the several-machines tests need a real ssh server")
	}
	for _, p := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s is not installed: the several-machines tests need OpenSSH", p)
		}
	}
	// sshd refuses to start without its privilege separation directory,
	// which the package's service (not run here) creates.
	if _, err := os.Stat("/run/sshd"); err != nil {
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Skipf("sshd needs /run/sshd and it cannot be made: %v", err)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	s := &sshServer{t: t, dir: dir, cfgFile: filepath.Join(dir, "ssh_config"), log: filepath.Join(dir, "sshd.log")}
	hostKey, userKey := filepath.Join(dir, "host_key"), filepath.Join(dir, "user_key")
	for _, k := range []string{hostKey, userKey} {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", k).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
	}
	pub, err := os.ReadFile(userKey + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	auth := filepath.Join(dir, "authorized_keys")
	writeFile(t, auth, string(pub))
	s.port = freePort(t)
	cfg := filepath.Join(dir, "sshd_config")
	// SetEnv SHLVL=1: bash, the remote commands' shell, reads the user's
	// ~/.bashrc when sshd runs it at shell level 1. The tests' commands need
	// nothing from it, and a login's rc can cost far more than the session
	// (pyenv init: 0.5 s of CPU per connection) or print into the protocol.
	writeFile(t, cfg, strings.Join([]string{
		"ListenAddress 127.0.0.1",
		"HostKey " + hostKey,
		"AuthorizedKeysFile " + auth,
		"PermitRootLogin yes", "StrictModes no", "UsePAM no", "PasswordAuthentication no",
		"KbdInteractiveAuthentication no", "PubkeyAuthentication yes", "PidFile none", "LogLevel VERBOSE",
		"ClientAliveInterval 0", "MaxStartups 100", "MaxSessions 100", "SetEnv SHLVL=1",
	}, "\n")+"\n")
	s.closedPort = closedPort(t)
	writeFile(t, s.cfgFile, strings.Join([]string{
		"Host dead", // nothing listens there: an unreachable host
		"  Port " + strconv.Itoa(s.closedPort),
		"Host *",
		"  HostName 127.0.0.1",
		"  Port " + strconv.Itoa(s.port),
		"  User " + currentUser(),
		"  IdentityFile " + userKey,
		"  IdentitiesOnly yes",
		"  UserKnownHostsFile /dev/null",
		"  StrictHostKeyChecking no",
		"  LogLevel ERROR",
		"  BatchMode yes",
		"  ConnectTimeout 5",
		"  ServerAliveInterval 2",
		"  ServerAliveCountMax 2",
	}, "\n")+"\n")
	s.cmd = exec.Command(sshd, "-D", "-e", "-f", cfg, "-p", strconv.Itoa(s.port), "-E", s.log)
	if err := s.cmd.Start(); err != nil {
		t.Skipf("sshd cannot start: %v", err)
	}
	s.pid = s.cmd.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(s.pid, syscall.SIGTERM) // by PID
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(s.pid, syscall.SIGKILL)
			<-exited
		}
	})
	deadline := testwait.Deadline(t)
	for {
		out, err := exec.Command("ssh", "-F", s.cfgFile, "-T", "box", "echo", "ready").CombinedOutput()
		if err == nil && strings.TrimSpace(string(out)) == "ready" {
			return s
		}
		select {
		case err := <-exited:
			log, _ := os.ReadFile(s.log)
			t.Skipf("sshd cannot start here: %v\n%s", err, log)
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(s.log)
			t.Skipf("sshd does not answer: %v %s\n%s", err, out, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// sshCommand is the --ssh-command that reaches this server.
func (s *sshServer) sshCommand() string { return "ssh -F " + s.cfgFile }

// connections are the PIDs of sshd's children: one per open connection.
func (s *sshServer) connections() []int {
	var out []int
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			continue
		}
		st := string(stat)
		end := strings.LastIndexByte(st, ')')
		if end < 0 {
			continue
		}
		if f := strings.Fields(st[end+1:]); len(f) >= 2 && f[1] == strconv.Itoa(s.pid) {
			out = append(out, pid)
		}
	}
	return out
}

func currentUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	out, err := exec.Command("id", "-un").Output()
	if err != nil {
		return "root"
	}
	return strings.TrimSpace(string(out))
}

// freePort is a TCP port nothing listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// closedPort is a TCP port on 127.0.0.1 that refuses connections for the
// rest of the test: bound and never listening, so that no server another
// test starts meanwhile can take it, as it could a port freePort let go.
func closedPort(t *testing.T) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	syscall.CloseOnExec(fd)
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return sa.(*syscall.SockaddrInet4).Port
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(fmt.Errorf("write %s: %w", path, err))
	}
}
