// Package gitsource fetches revisions of Git repositories for the
// NetworkSync controller, with go-git: no git binary is needed at run time
// (except for file:// URLs, which go-git serves by running git-upload-pack).
//
// A Source names a repository URL, a Ref (branch, tag, semver range or
// commit), credentials and a cache directory. Resolve asks the remote which
// commit the Ref names with one ls-remote and writes nothing; Fetch makes
// the commit available in the cache and returns it with its root tree, read
// from the object store (there is no work tree: the caller renders from the
// tree). A Fetch whose commit is already cached costs one ls-remote. Verify
// checks a commit's OpenPGP or SSH signature against trusted keys.
//
// # Errors
//
// Errors are prefixed with the operation and the URL, and wrap a sentinel
// where callers branch: ErrNotFound, ErrAuth, ErrHostKey, ErrTooLarge,
// ErrInvalid (configuration that retrying cannot fix), ErrUnsigned and
// ErrUntrusted; an operation that ran out of time or was cancelled wraps
// context.DeadlineExceeded or context.Canceled. No error holds a credential:
// userinfo is stripped from URLs before go-git sees them, and every message
// from go-git or the remote is redacted of URL userinfo, passwords, tokens
// and passphrases. Errors from go-git unwrap only to the sentinels, never to
// the original error, whose text is not redacted.
//
// # Trust and limits
//
// A remote is untrusted. A file:// URL, a repository on this machine's own
// filesystem, is refused unless Source.AllowFileURLs, and one inside
// CacheDir always, as it would read the clones fetched for other callers.
// go-git runs no hooks, filters or submodules, and
// Fetch never checks out files. Host keys are always checked against the
// Secret's known_hosts; ~/.ssh, ssh-agent and SSH password authentication
// are never used. Each operation is bounded by Source.Timeout (default 60 s)
// and its context, including the SSH handshake, which go-git runs without
// one (see dialer.go). The pack data one fetch receives is bounded by
// Source.MaxBytes (default 512 MiB): past it the fetch fails with
// ErrTooLarge and the partial cache is removed.
//
// Not bounded here: the size of the ref advertisement (an ls-remote reads
// all refs the remote lists into memory), and the inflated size of objects
// (a pack under MaxBytes may hold a blob that inflates far beyond it, which
// go-git's pack parser holds in memory while indexing). Readers of the tree
// must bound the sizes of the files they read; render does.
//
// # Cache
//
// CacheDir holds one bare repository per URL (the SHA-256 of the URL without
// credentials), with a separate "-full" repository for commit refs, which
// need full history where the others fetch depth 1. Operations on one
// repository are serialised within the process. A cache that fails to open
// or read is removed and cloned again, as is one that has gathered many pack
// files. Because the cache is shared by URL, every Fetch first lists the
// remote's refs with its own credentials, so a cached commit is only served
// to a caller the remote accepts.
package gitsource
