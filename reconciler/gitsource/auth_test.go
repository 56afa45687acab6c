package gitsource_test

import (
	"strings"
	"testing"

	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/reconciler/gitsource"
)

const (
	password = "s3cr3t-pa55word"
	token    = "ghp_tokentokentokentoken"
)

func TestHTTPAuth(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{Username: "alice", Password: password, Token: token})
	withUserinfo := strings.Replace(h.url(), "://", "://alice:"+password+"@", 1)
	wrongUserinfo := strings.Replace(h.url(), "://", "://alice:wrong-"+password+"@", 1)
	tests := []struct {
		name string
		url  string
		auth gitsource.Auth
		want error
	}{
		{name: "basic", auth: gitsource.Auth{Username: "alice", Password: password}},
		{name: "token alone", auth: gitsource.Auth{Password: token}},
		{name: "token with username", auth: gitsource.Auth{Username: "x-access-token", Password: token}},
		{name: "userinfo in url", url: withUserinfo},
		{name: "secret wins over url", url: wrongUserinfo, auth: gitsource.Auth{Password: token}},
		{name: "wrong password", auth: gitsource.Auth{Username: "alice", Password: "wrong-" + password}, want: gitsource.ErrAuth},
		{name: "wrong token", auth: gitsource.Auth{Password: "wrong-" + token}, want: gitsource.ErrAuth},
		{name: "wrong userinfo", url: wrongUserinfo, want: gitsource.ErrAuth},
		{name: "no credentials", want: gitsource.ErrAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := tt.url
			if url == "" {
				url = h.url()
			}
			s := &gitsource.Source{URL: url, Auth: tt.auth, CacheDir: t.TempDir()}
			rev, rerr := s.Resolve(t.Context())
			co, ferr := s.Fetch(t.Context())
			if tt.want != nil {
				secrets := []string{password, token, "wrong-" + password, "wrong-" + token}
				wantErr(t, rerr, tt.want, secrets...)
				wantErr(t, ferr, tt.want, secrets...)
				return
			}
			if rerr != nil || ferr != nil {
				t.Fatalf("Resolve: %v; Fetch: %v", rerr, ferr)
			}
			if rev.Commit != h.c3 || co.Revision.Commit != h.c3 {
				t.Errorf("Resolve = %v, Fetch = %v, want %s", rev, co.Revision, h.c3)
			}
		})
	}
}

// sshFixture serves the history over SSH to one client key.
type sshFixture struct {
	*history
	ssh    *gitserver.SSHServer
	client *gitserver.SSHKey
}

func newSSHFixture(t *testing.T) *sshFixture {
	h := newHistory(t, gitserver.HTTPAuth{})
	client := gitserver.NewSSHKey(t, "tabby@test")
	return &sshFixture{history: h, client: client, ssh: gitserver.NewSSHServer(t, h.root, client.Signer.PublicKey())}
}

func TestSSH(t *testing.T) {
	f := newSSHFixture(t)
	other := gitserver.NewSSHKey(t, "other@test")
	otherServer := gitserver.NewSSHServer(t, f.root) // another host key
	good := gitsource.Auth{SSHPrivateKey: f.client.Private, KnownHosts: f.ssh.KnownHosts()}
	tests := []struct {
		name string
		url  string
		auth gitsource.Auth
		want error
	}{
		{name: "ssh url", url: f.ssh.RepoURL("config.git"), auth: good},
		{name: "scp-like url", url: f.ssh.SCPURL("config.git"), auth: good},
		{name: "hashed known_hosts and other lines", url: f.ssh.RepoURL("config.git"), auth: gitsource.Auth{
			SSHPrivateKey: f.client.Private,
			KnownHosts:    append(append([]byte("# comment\n"), otherServer.KnownHosts()...), f.ssh.HashedKnownHosts()...),
		}},
		{name: "wrong host key", url: f.ssh.RepoURL("config.git"), want: gitsource.ErrHostKey, auth: gitsource.Auth{
			SSHPrivateKey: f.client.Private,
			KnownHosts:    []byte(strings.Replace(string(otherServer.KnownHosts()), otherServer.Addr(), f.ssh.Addr(), 1)),
		}},
		{name: "host not in known_hosts", url: f.ssh.RepoURL("config.git"), want: gitsource.ErrHostKey, auth: gitsource.Auth{
			SSHPrivateKey: f.client.Private,
			KnownHosts:    otherServer.KnownHosts(),
		}},
		{name: "unknown client key", url: f.ssh.RepoURL("config.git"), want: gitsource.ErrAuth, auth: gitsource.Auth{
			SSHPrivateKey: other.Private,
			KnownHosts:    f.ssh.KnownHosts(),
		}},
		{name: "missing repository", url: f.ssh.RepoURL("missing.git"), auth: good, want: gitsource.ErrNotFound},
		{name: "no known_hosts", url: f.ssh.RepoURL("config.git"), auth: gitsource.Auth{SSHPrivateKey: f.client.Private}, want: gitsource.ErrInvalid},
		{name: "garbage identity", url: f.ssh.RepoURL("config.git"), auth: gitsource.Auth{SSHPrivateKey: []byte("nope"), KnownHosts: f.ssh.KnownHosts()}, want: gitsource.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &gitsource.Source{URL: tt.url, Auth: tt.auth, Ref: gitsource.Ref{Tag: "v1.4.0"}, CacheDir: t.TempDir()}
			rev, rerr := s.Resolve(t.Context())
			co, ferr := s.Fetch(t.Context())
			if tt.want != nil {
				wantErr(t, rerr, tt.want)
				wantErr(t, ferr, tt.want)
				return
			}
			if rerr != nil || ferr != nil {
				t.Fatalf("Resolve: %v; Fetch: %v", rerr, ferr)
			}
			if rev.Commit != f.c2 || co.Revision.Commit != f.c2 || contents(t, co, "a.yaml") != "v2" {
				t.Errorf("Resolve = %v, Fetch = %v, want %s", rev, co.Revision, f.c2)
			}
		})
	}
}

func TestSSHEncryptedIdentity(t *testing.T) {
	f := newSSHFixture(t)
	encrypted := f.client.Encrypted(t, "pass phrase")
	for name, tt := range map[string]struct {
		passphrase string
		want       error
	}{
		"right passphrase": {passphrase: "pass phrase"},
		"no passphrase":    {want: gitsource.ErrInvalid},
		"wrong passphrase": {passphrase: "wrong phrase", want: gitsource.ErrInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			s := &gitsource.Source{URL: f.ssh.RepoURL("config.git"), CacheDir: t.TempDir(), Auth: gitsource.Auth{
				SSHPrivateKey: encrypted, SSHPassphrase: []byte(tt.passphrase), KnownHosts: f.ssh.KnownHosts(),
			}}
			_, err := s.Fetch(t.Context())
			if tt.want != nil {
				wantErr(t, err, tt.want, tt.passphrase)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestAuthFromSecret(t *testing.T) {
	tests := []struct {
		name string
		data map[string][]byte
		want gitsource.Auth
		err  bool
	}{
		{name: "empty", data: nil},
		{name: "basic", data: map[string][]byte{"username": []byte("u"), "password": []byte("p")}, want: gitsource.Auth{Username: "u", Password: "p"}},
		{name: "token", data: map[string][]byte{"password": []byte("t")}, want: gitsource.Auth{Password: "t"}},
		{name: "ssh", data: map[string][]byte{"identity": []byte("k"), "identity.pub": []byte("ignored"), "known_hosts": []byte("h"), "passphrase": []byte("pp")},
			want: gitsource.Auth{SSHPrivateKey: []byte("k"), KnownHosts: []byte("h"), SSHPassphrase: []byte("pp")}},
		{name: "unknown keys ignored", data: map[string][]byte{"ca.crt": []byte("x")}},
		{name: "username alone", data: map[string][]byte{"username": []byte("u")}, err: true},
		{name: "identity without known_hosts", data: map[string][]byte{"identity": []byte("k")}, err: true},
		{name: "passphrase alone", data: map[string][]byte{"passphrase": []byte("pp")}, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := gitsource.AuthFromSecret(tt.data)
			if tt.err {
				wantErr(t, err, gitsource.ErrInvalid, "pp")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Username != tt.want.Username || got.Password != tt.want.Password ||
				string(got.SSHPrivateKey) != string(tt.want.SSHPrivateKey) ||
				string(got.KnownHosts) != string(tt.want.KnownHosts) ||
				string(got.SSHPassphrase) != string(tt.want.SSHPassphrase) {
				t.Errorf("AuthFromSecret = %+v, want %+v", got, tt.want)
			}
		})
	}
}
