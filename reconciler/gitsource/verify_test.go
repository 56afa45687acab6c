package gitsource_test

import (
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/reconciler/gitsource"
)

// signedRepo commits on one branch per signing method and returns the
// fetched commits by branch.
func signedCommits(t *testing.T, opts map[string]gitserver.CommitOption) map[string]*object.Commit {
	t.Helper()
	root := t.TempDir()
	repo := gitserver.NewRepo(t, root, "signed.git")
	for branch, opt := range opts {
		if opt == nil {
			repo.Commit(branch, map[string]string{"a.yaml": branch})
			continue
		}
		repo.Commit(branch, map[string]string{"a.yaml": branch}, opt)
	}
	server := gitserver.NewHTTPServer(t, root, gitserver.HTTPAuth{})
	cache := t.TempDir()
	out := map[string]*object.Commit{}
	for branch := range opts {
		s := &gitsource.Source{URL: server.RepoURL("signed.git"), Ref: gitsource.Ref{Branch: branch}, CacheDir: cache}
		co, err := s.Fetch(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		out[branch] = co.Commit
	}
	return out
}

func TestVerify(t *testing.T) {
	pgpKey := gitserver.NewPGPKey(t, "Release Bot", "release@tabby.invalid")
	otherPGP := gitserver.NewPGPKey(t, "Mallory", "mallory@tabby.invalid")
	sshKey := gitserver.NewSSHKey(t, "release@tabby")
	otherSSH := gitserver.NewSSHKey(t, "mallory@tabby")
	commits := signedCommits(t, map[string]gitserver.CommitOption{
		"unsigned":      nil,
		"pgp":           gitserver.SignPGP(pgpKey),
		"pgp-other":     gitserver.SignPGP(otherPGP),
		"ssh":           gitserver.SignSSH(sshKey),
		"ssh-other":     gitserver.SignSSH(otherSSH),
		"ssh-amended":   gitserver.SignSSH(sshKey), // tampered below
		"pgp-tampered2": gitserver.SignPGP(pgpKey), // tampered below
	})
	tamper := func(c *object.Commit) *object.Commit {
		evil := *c
		evil.Message = "harmless, honest\n"
		return &evil
	}
	trusted := map[string][]byte{
		"release-pgp": pgpKey.Public,
		"release-ssh": sshKey.AuthorizedKey,
	}
	tests := []struct {
		name   string
		commit *object.Commit
		keys   map[string][]byte
		signer string // a part of the returned signer
		want   error
	}{
		{name: "openpgp", commit: commits["pgp"], keys: trusted, signer: "release-pgp (openpgp "},
		{name: "ssh", commit: commits["ssh"], keys: trusted, signer: "release-ssh (ssh SHA256:"},
		{name: "ssh key among several lines", commit: commits["ssh"],
			keys: map[string][]byte{"team": append(append([]byte("# team keys\n\n"), otherSSH.AuthorizedKey...), sshKey.AuthorizedKey...)}, signer: "team (ssh "},
		{name: "unsigned", commit: commits["unsigned"], keys: trusted, want: gitsource.ErrUnsigned},
		{name: "openpgp by another key", commit: commits["pgp-other"], keys: trusted, want: gitsource.ErrUntrusted},
		{name: "ssh by another key", commit: commits["ssh-other"], keys: trusted, want: gitsource.ErrUntrusted},
		{name: "openpgp with only ssh keys", commit: commits["pgp"], keys: map[string][]byte{"k": sshKey.AuthorizedKey}, want: gitsource.ErrUntrusted},
		{name: "ssh with only openpgp keys", commit: commits["ssh"], keys: map[string][]byte{"k": pgpKey.Public}, want: gitsource.ErrUntrusted},
		{name: "openpgp over another message", commit: tamper(commits["pgp-tampered2"]), keys: trusted, want: gitsource.ErrUntrusted},
		{name: "ssh over another message", commit: tamper(commits["ssh-amended"]), keys: trusted, want: gitsource.ErrUntrusted},
		{name: "no keys", commit: commits["pgp"], keys: nil, want: gitsource.ErrInvalid},
		{name: "key does not parse", commit: commits["pgp"], keys: map[string][]byte{"k": []byte("ssh-ed25519 notbase64")}, want: gitsource.ErrInvalid},
		{name: "openpgp key does not parse", commit: commits["pgp"],
			keys: map[string][]byte{"k": []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n")}, want: gitsource.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signer, err := gitsource.Verify(tt.commit, tt.keys)
			if tt.want != nil {
				wantErr(t, err, tt.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(signer, tt.signer) {
				t.Errorf("signer = %q, want it to contain %q", signer, tt.signer)
			}
		})
	}
}

// Signatures made by git itself (through ssh-keygen) verify: the payload
// this package checks is the one git signs.
func TestVerifyGitSSHSignature(t *testing.T) {
	gitserver.RequireSSHKeygen(t)
	key := gitserver.NewSSHKey(t, "release@tabby")
	other := gitserver.NewSSHKey(t, "mallory@tabby")
	commits := signedCommits(t, map[string]gitserver.CommitOption{
		"main":  gitserver.SignSSHWithGit(key),
		"other": gitserver.SignSSHWithGit(other),
	})
	if !strings.HasPrefix(commits["main"].PGPSignature, "-----BEGIN SSH SIGNATURE-----") {
		t.Fatalf("git made no ssh signature: %q", commits["main"].PGPSignature)
	}
	signer, err := gitsource.Verify(commits["main"], map[string][]byte{"release": key.AuthorizedKey})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(signer, "release (ssh SHA256:") {
		t.Errorf("signer = %q", signer)
	}
	_, err = gitsource.Verify(commits["other"], map[string][]byte{"release": key.AuthorizedKey})
	wantErr(t, err, gitsource.ErrUntrusted)
}

// Signatures made by git through gpg verify too.
func TestVerifyGitPGPSignature(t *testing.T) {
	gitserver.RequireGPG(t)
	key := gitserver.NewPGPKey(t, "Release Bot", "release@tabby.invalid")
	other := gitserver.NewPGPKey(t, "Mallory", "mallory@tabby.invalid")
	commits := signedCommits(t, map[string]gitserver.CommitOption{
		"main":  gitserver.SignPGPWithGit(gitserver.NewGPGHome(t, key)),
		"other": gitserver.SignPGPWithGit(gitserver.NewGPGHome(t, other)),
	})
	if !strings.HasPrefix(commits["main"].PGPSignature, "-----BEGIN PGP SIGNATURE-----") {
		t.Fatalf("git made no openpgp signature: %q", commits["main"].PGPSignature)
	}
	signer, err := gitsource.Verify(commits["main"], map[string][]byte{"release": key.Public})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(signer, "release (openpgp ") {
		t.Errorf("signer = %q", signer)
	}
	_, err = gitsource.Verify(commits["other"], map[string][]byte{"release": key.Public})
	wantErr(t, err, gitsource.ErrUntrusted)
}

func TestKeysFromSecret(t *testing.T) {
	keys := gitsource.KeysFromSecret(map[string][]byte{"a": []byte("key"), "empty": nil, "blank": []byte(" \n")})
	if len(keys) != 1 || string(keys["a"]) != "key" {
		t.Errorf("KeysFromSecret = %q, want only a", keys)
	}
}
