package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// completeValues makes shell completion offer values for the flag name.
func completeValues(cmd *cobra.Command, name string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// completeRefs makes shell completion offer, for each flag of names, the
// branches, remote branches and tags of the Git repository that the flag
// repoFlag names (the working directory's when unset).
func completeRefs(cmd *cobra.Command, repoFlag string, names ...string) {
	complete := func(cmd *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
		dir, _ := cmd.Flags().GetString(repoFlag)
		if dir == "" {
			dir = "."
		}
		return refNames(dir, prefix), cobra.ShellCompDirectiveNoFileComp
	}
	for _, name := range names {
		_ = cmd.RegisterFlagCompletionFunc(name, complete)
	}
}

// refNames lists HEAD and the short names of the references of the
// repository holding dir that start with prefix.
func refNames(dir, prefix string) []string {
	repo, err := openRepository(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, n := range repo.Refs() {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}
