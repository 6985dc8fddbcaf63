// Package attach lets every view of one Claude root share the engine of the
// ccwake that holds the root's lock: that instance listens on a unix socket
// private to the user and speaks the protocol of `serve --stdio`
// (package remote); the dashboard, `status` and `status --line` of the same
// user connect to it and show what it decided, and the dashboard's keys act
// through it. No second plan, no second truth.
//
// Where the socket is: one file per root, named by the root's identity
// (device and inode of the directory, as the lock is), so a symlink, a bind
// mount or a relative path of the root all name the same socket. It sits in
// a 0700 directory "ccwake" under each of: $XDG_RUNTIME_DIR, the login's
// runtime directory /run/user/<uid> (where it exists), and the state
// directory. The server listens in every one of these its environment
// names; a client tries every one its own environment names. So a client
// whose $XDG_RUNTIME_DIR differs from the service's (a cron job has none, a
// shell in another login session may have another) still meets it through
// /run/user/<uid> or the state directory. Nothing is ever put under the
// Claude root.
//
// Who may connect: the directory is 0700 and the socket 0600, and the
// server checks the peer's uid (SO_PEERCRED on Linux, LOCAL_PEERCRED on
// macOS) and refuses any other user: the socket takes commands.
package attach
