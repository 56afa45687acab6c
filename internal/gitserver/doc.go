// Package gitserver runs real Git for tests: bare repositories built with
// the git command from maps of files, commits signed with OpenPGP or SSH
// keys, force-pushes and tags; a smart-HTTP server (git http-backend behind
// net/http/cgi) with optional basic or token auth; and an in-process SSH
// server that authenticates public keys and runs git-upload-pack. Nothing
// is mocked: the servers speak the Git protocols through Git's own
// programs.
//
// Everything is bound to a testing.TB: failures call t.Fatal and servers,
// processes and temporary directories are cleaned up with t.Cleanup.
// Commits get fixed authors and dates that advance one second per commit,
// so the same sequence of calls gives the same commit hashes.
package gitserver
