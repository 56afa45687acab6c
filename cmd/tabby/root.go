package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/tabbynet/tabby/internal/version"
)

// Exit codes shared by every subcommand.
const (
	exitOK       = 0 // success, nothing found
	exitFindings = 1 // findings, differences or invalid repository content
	exitError    = 2 // usage or runtime error
)

// exitCodeError ends a command with a given exit code. Its message, if any,
// has already been printed.
type exitCodeError struct {
	code int
}

func (e exitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// run executes tabby with args and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := newRootCommand(stdout, stderr)
	cmd.SetArgs(args)
	err := cmd.Execute()
	var exit exitCodeError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &exit):
		return exit.code
	default:
		fmt.Fprintf(stderr, "tabby: %v\n", err)
		return exitError
	}
}

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "tabby",
		Short: "GitOps for Calico network configuration",
		Long: `tabby keeps Calico network configuration (BGP peering, IP pools and network
policy) in Git: it renders and validates it, reviews pull requests offline,
syncs it to clusters and enforces it on nodes.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version.String(),
	}
	root.SetVersionTemplate("{{.Version}}\n") // as tabby version prints it
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(
		newRenderCommand(),
		newValidateCommand(),
		newExplainCommand(),
		newPlanCommand(),
		newDriftCommand(),
		newControllerCommand(),
		newReconcileCommand(),
		newVersionCommand(),
	)
	return root
}
