package receiver

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
)

// GitLab's headers, in canonical form.
const (
	gitlabEventHeader = "X-Gitlab-Event"
	gitlabTokenHeader = "X-Gitlab-Token"
)

// verifyGitLab checks that X-Gitlab-Token is the secret. Both are hashed
// first, so that the comparison takes the same time whatever their lengths.
func verifyGitLab(h http.Header, secret []byte) bool {
	tokens := h.Values(gitlabTokenHeader)
	if len(tokens) != 1 {
		return false
	}
	got := sha256.Sum256([]byte(tokens[0]))
	want := sha256.Sum256(secret)
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// gitlabSyncs reports whether a GitLab event is one that syncs: a push of
// branches or of tags.
func gitlabSyncs(event string) bool {
	return event == "Push Hook" || event == "Tag Push Hook"
}
