package main

import "context"

// annotate fills in when the resumer would act and which pane it would type
// into. Filled in when the resumer lands.
func annotate(ctx context.Context, rows []statusRow, o *options, roots []string) {}
