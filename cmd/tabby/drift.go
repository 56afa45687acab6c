package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/tabbynet/tabby/drift"
)

// driftOptions are the flags of tabby drift. Exactly one of repo, url and
// networkSync names where Git's state comes from.
type driftOptions struct {
	repo, ref              string
	url                    string
	branch, tag, commit    string
	path                   string
	networkSync, namespace string
	output                 string
	cluster                clusterOptions
}

func newDriftCommand() *cobra.Command {
	var o driftOptions
	cmd := &cobra.Command{
		Use:   "drift (--repo DIR [--ref REV] | --url URL | --networksync NAME) [--path P]",
		Short: "Report how the live cluster differs from Git, read-only",
		Long: `Compare the objects a repository path applies with the cluster's, and report
per object and field what differs, which field manager changed it and when:
objects Modified (a field Git sets holds another value, or is gone), Deleted
(gone from the cluster) and Unmanaged (an object of a kind the repository
manages that neither it nor any NetworkSync's inventory holds). Nothing is
written: get and list are enough (the tabby-reader ClusterRole).

Git's state comes from exactly one of:
  --repo DIR            a directory as it is on disk, or with --ref REV a
                        revision of the Git repository holding DIR
  --url URL             a remote repository, at --branch, --tag or --commit
  --networksync NAME    the revision a NetworkSync last applied (-n, default
                        tabby-system), fetched with its credentials; its
                        drift status supplies first-seen times

Exit status: 0 when the cluster matches Git, 1 when it drifted, 2 on usage or
runtime errors (including a revision that does not render).`,
		Example: `  tabby drift --repo repos-example --path clusters/prod
  tabby drift --repo . --ref origin/main --path clusters/prod -o markdown
  tabby drift --url https://git.example.com/network.git --branch main --path clusters/prod
  tabby drift --networksync prod -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.check(cmd); err != nil {
				return err
			}
			report, err := o.report(cmd)
			if err != nil {
				return withReaderHint(err)
			}
			if err := writeDrift(cmd.OutOrStdout(), report, o.output); err != nil {
				return err
			}
			if !report.Empty() {
				return exitCodeError{code: exitFindings}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.repo, "repo", "", "compare with this directory; with --ref, with a revision of the Git repository holding it")
	f.StringVar(&o.ref, "ref", "", "with --repo: a branch, tag, commit or expression such as origin/main or HEAD~1")
	f.StringVar(&o.url, "url", "", "compare with a remote Git repository: https://, http://, ssh:// or file:// (public, or credentials in an https URL)")
	f.StringVar(&o.branch, "branch", "", "with --url: the branch (default main), or the branch holding --commit")
	f.StringVar(&o.tag, "tag", "", "with --url: a tag")
	f.StringVar(&o.commit, "commit", "", "with --url: a commit SHA, 7 to 40 hex digits")
	f.StringVar(&o.path, "path", ".", "with --repo or --url: the directory to compare, relative to the repository (DIR for --repo)")
	f.StringVar(&o.networkSync, "networksync", "", "compare with what this NetworkSync last applied")
	f.StringVarP(&o.namespace, "namespace", "n", "tabby-system", "with --networksync: its namespace")
	f.StringVarP(&o.output, "output", "o", "text", "output format: text, markdown or json")
	o.cluster.bindFlags(cmd, "read-only")
	completeValues(cmd, "output", "text", "markdown", "json")
	completeRefs(cmd, "repo", "ref")
	return cmd
}

// check refuses flag combinations that do not name exactly one source.
func (o *driftOptions) check(cmd *cobra.Command) error {
	switch o.output {
	case "text", "markdown", "json":
	default:
		return fmt.Errorf("--output %s: want text, markdown or json", o.output)
	}
	n := 0
	for _, v := range []string{o.repo, o.url, o.networkSync} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return errors.New("give exactly one of --repo DIR, --url URL or --networksync NAME: where Git's state comes from")
	}
	if o.networkSync == "" && cmd.Flags().Changed("namespace") {
		return errors.New("--namespace goes with --networksync only")
	}
	switch {
	case o.repo != "":
		return refuse(cmd, "with --repo, give a revision with --ref", "branch", "tag", "commit")
	case o.url != "":
		if o.tag != "" && (o.branch != "" || o.commit != "") {
			return errors.New("--tag: give either --tag or --branch and --commit")
		}
		return refuse(cmd, "with --url, give a revision with --branch, --tag or --commit", "ref")
	default:
		return refuse(cmd, "a NetworkSync names its repository, revision and path; compare with others with --repo or --url", "ref", "branch", "tag", "commit", "path")
	}
}

// refuse returns an error naming the first of flags that is set, and why it
// does not fit.
func refuse(cmd *cobra.Command, why string, flags ...string) error {
	for _, flag := range flags {
		if cmd.Flags().Changed(flag) {
			return fmt.Errorf("--%s does not go with the source given: %s", flag, why)
		}
	}
	return nil
}

// report reads Git's state and the cluster's and compares them.
func (o *driftOptions) report(cmd *cobra.Command) (drift.Report, error) {
	c, err := o.cluster.client()
	if err != nil {
		return drift.Report{}, err
	}
	ctx := cmd.Context()
	want, err := o.gitState(ctx, c, cmd.ErrOrStderr())
	if err != nil {
		return drift.Report{}, err
	}
	in, err := clusterState(ctx, c, want, cmd.ErrOrStderr())
	if err != nil {
		return drift.Report{}, err
	}
	report := drift.Compute(in)
	for i, it := range report.Items {
		if t, ok := want.firstSeen[it.Subject]; ok {
			report.Items[i].FirstSeen = &t
		}
	}
	return report, nil
}

// writeDrift writes the report in the format the flags name.
func writeDrift(w io.Writer, r drift.Report, format string) error {
	switch format {
	case "markdown":
		return r.WriteMarkdown(w)
	case "json":
		if r.Items == nil {
			r.Items = []drift.Item{}
		}
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	default:
		return r.WriteText(w)
	}
}

// withReaderHint says which role grants what a refused read needs.
func withReaderHint(err error) error {
	if !apierrors.IsForbidden(err) || strings.Contains(err.Error(), "tabby-reader") {
		return err
	}
	return fmt.Errorf("%w\n(the tabby-reader ClusterRole, config/rbac/reader_cluster_role.yaml, grants everything tabby drift reads)", err)
}
