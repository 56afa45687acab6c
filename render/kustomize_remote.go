package render

import (
	"net/url"
	"strings"

	"sigs.k8s.io/kustomize/api/resource"
)

// remoteReason returns what kustomize would do with ref instead of reading
// it from the repository, or "" when it would read it from the repository.
//
// The decision is kustomize's own. Its loader clones any reference that its
// Git URL parser accepts (github.com/org/repo, github.com:org/repo,
// user@host:org/repo, ssh://, https://, file://, ...). That parser is
// internal to kustomize; resource.Origin.Append is the exported function
// that runs it, and records a repository exactly when the parser accepts
// the reference. Its loader also downloads any http or https URL, which
// url.Parse decides; every URL with a scheme is refused here, a superset.
// The "git::" prefix is checked first, as kustomize strips it and logs a
// warning, which render must not do.
func remoteReason(ref string) string {
	if len(ref) >= len(forcedGit) && strings.EqualFold(ref[:len(forcedGit)], forcedGit) {
		return "clone it with git"
	}
	if (&resource.Origin{}).Append(ref).Repo != "" {
		return "clone it with git"
	}
	if u, err := url.Parse(ref); err == nil && u.Scheme != "" {
		if s := strings.ToLower(u.Scheme); s == "http" || s == "https" {
			return "download it"
		}
		return "treat it as a URL"
	}
	return ""
}

// forcedGit is the go-getter prefix kustomize strips from Git URLs.
const forcedGit = "git::"
