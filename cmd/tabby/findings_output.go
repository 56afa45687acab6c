package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/tabbynet/tabby/internal/sarif"
	"github.com/tabbynet/tabby/internal/version"
	"github.com/tabbynet/tabby/plan"
	"github.com/tabbynet/tabby/render"
	"github.com/tabbynet/tabby/validate"
)

// The -o values of commands that report findings. text prints paths the
// user can open from the working directory; json, sarif and github keep
// paths relative to the repository root, as CI systems resolve them.
const (
	formatText   = "text"
	formatJSON   = "json"
	formatSARIF  = "sarif"
	formatGitHub = "github"
	formatYAML   = "yaml"
)

var findingsFormats = []string{formatText, formatJSON, formatSARIF, formatGitHub}

// checkFormat returns an error unless format is one of formats.
func checkFormat(format string, formats []string) error {
	for _, f := range formats {
		if f == format {
			return nil
		}
	}
	return fmt.Errorf("--output %s: want %s", format, orList(formats))
}

// orList writes "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

// writeFindings writes the findings about the repository path src in
// format, one of findingsFormats.
func writeFindings(w io.Writer, format string, src source, findings validate.Findings) error {
	switch format {
	case formatJSON:
		return writeFindingsJSON(w, findings)
	case formatSARIF:
		return writeFindingsSARIF(w, src, findings)
	case formatGitHub:
		writeFindingsGitHub(w, findings)
		return nil
	default:
		writeFindingsText(w, src, findings, "")
		return nil
	}
}

// writeFindingsText prints findings compiler-style, related places indented
// under each, and a summary line, each line after prefix.
func writeFindingsText(w io.Writer, src source, findings validate.Findings, prefix string) {
	for _, f := range findings {
		f.Position.File = src.display(f.Position.File)
		fmt.Fprintf(w, "%s%s\n", prefix, f)
		for _, r := range f.Related {
			pos := r.Position.String()
			if r.Position.File != "" {
				r.Position.File = src.display(r.Position.File)
				pos = r.Position.String()
			}
			if pos == "" {
				pos = r.Object
			}
			fmt.Fprintf(w, "%s    %s: note: %s\n", prefix, pos, r.Message)
		}
		for _, line := range f.Trace {
			fmt.Fprintf(w, "%s    | %s\n", prefix, line)
		}
	}
	fmt.Fprintf(w, "%s%d error(s), %d warning(s)\n", prefix, findings.Errors(), findings.Warnings())
}

// findingsJSON is the stable JSON form of findings, documented in
// docs/findings.md.
type findingsJSON struct {
	Errors   int                `json:"errors"`
	Warnings int                `json:"warnings"`
	Findings []validate.Finding `json:"findings"`
}

func newFindingsJSON(findings validate.Findings) findingsJSON {
	out := findingsJSON{Errors: findings.Errors(), Warnings: findings.Warnings(), Findings: findings}
	if out.Findings == nil {
		out.Findings = validate.Findings{}
	}
	return out
}

func writeFindingsJSON(w io.Writer, findings validate.Findings) error {
	return writeJSON(w, newFindingsJSON(findings))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeFindingsSARIF writes the findings as tabby plan's SARIF writes them,
// a result without a location placed at the path's kustomization.
func writeFindingsSARIF(w io.Writer, src source, findings validate.Findings) error {
	log := sarif.New(version.String(), src.fallbackFile())
	for _, f := range findings {
		log.Add(plan.FindingRule(f.Code), plan.FindingResult(f, ""))
	}
	return log.Write(w)
}

// fallbackFile is the repository file where a result about the path as a
// whole is placed: its kustomization, else the path itself.
func (s source) fallbackFile() string {
	for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		f := path.Join(s.path, name)
		if info, err := os.Stat(filepath.Join(s.root, filepath.FromSlash(f))); err == nil && info.Mode().IsRegular() {
			return f
		}
	}
	return s.path
}

// writeFindingsGitHub writes each finding as a GitHub Actions workflow
// command (::error file=…,line=…::message), which the runner shows as an
// annotation on the pull request's diff, and a summary line.
func writeFindingsGitHub(w io.Writer, findings validate.Findings) {
	for _, f := range findings {
		level := "warning"
		if f.Severity == validate.SeverityError {
			level = "error"
		}
		var props []string
		if p := f.Position; p.File != "" {
			props = append(props, "file="+ghProperty(p.File))
			if p.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", p.Line))
				if p.Column > 0 {
					props = append(props, fmt.Sprintf("col=%d", p.Column))
				}
			}
		}
		props = append(props, "title="+ghProperty(f.Code))
		msg := f.Message
		if f.Field != "" {
			msg = f.Field + ": " + msg
		}
		for _, r := range f.Related {
			pos := r.Position.String()
			if pos == "" {
				pos = r.Object
			}
			msg += "\n" + pos + ": note: " + r.Message
		}
		fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), ghData(msg))
	}
	fmt.Fprintf(w, "%d error(s), %d warning(s)\n", findings.Errors(), findings.Warnings())
}

// ghData escapes the message of a workflow command, as the runner's
// toolkit does: %, CR and LF.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a property value of a workflow command: as ghData,
// and the separators : and ,.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// contentErrors splits a render's error: the problems of the repository's
// content, reported as findings, or an error ending the command.
func contentErrors(err error) (render.ErrorList, error) {
	var list render.ErrorList
	if err == nil || errors.As(err, &list) {
		return list, nil
	}
	return nil, err
}
