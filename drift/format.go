package drift

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteText writes the report for a terminal: a summary line, then one
// block per item with its fields.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	b.WriteString(r.Summary())
	b.WriteString("\n")
	for _, it := range r.Items {
		fmt.Fprintf(&b, "\n%s %s", strings.ToLower(string(it.Type)), it.Subject)
		if it.Source != "" {
			fmt.Fprintf(&b, " (%s)", it.Source)
		}
		b.WriteString("\n")
		if by := it.by(); by != "" {
			fmt.Fprintf(&b, "  %s\n", by)
		}
		if it.FirstSeen != nil {
			fmt.Fprintf(&b, "  first seen %s\n", stamp(*it.FirstSeen))
		}
		for _, f := range it.Fields {
			fmt.Fprintf(&b, "  %s\n", f)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary says in one line what drifted.
func (r Report) Summary() string {
	if r.Empty() {
		return "no drift: the cluster matches Git"
	}
	m, d, u := r.Counts()
	return fmt.Sprintf("drift: %d modified, %d deleted, %d unmanaged", m, d, u)
}

// by says who changed the item and when.
func (it Item) by() string {
	if it.Manager == "" {
		return ""
	}
	s := "changed by " + it.Manager
	if it.Operation != "" {
		s += " (" + it.Operation + ")"
	}
	if it.ChangedAt != nil {
		s += " at " + stamp(*it.ChangedAt)
	}
	return s
}

// WriteMarkdown writes the report as a Markdown section, for an issue or a
// chat message.
func (r Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("### tabby drift\n\n")
	if r.Empty() {
		b.WriteString("No drift: the cluster matches Git.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	m, d, u := r.Counts()
	fmt.Fprintf(&b, "**%d modified, %d deleted, %d unmanaged**\n\n", m, d, u)
	b.WriteString("| object | drift | field | Git | cluster | changed by | first seen |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, it := range r.Items {
		by := it.Manager
		if it.ChangedAt != nil {
			by += " at " + stamp(*it.ChangedAt)
		}
		seen := ""
		if it.FirstSeen != nil {
			seen = stamp(*it.FirstSeen)
		}
		subject := "`" + it.Subject + "`"
		if it.Source != "" {
			subject += " (" + it.Source + ")"
		}
		if len(it.Fields) == 0 {
			fmt.Fprintf(&b, "| %s | %s | | | | %s | %s |\n", cell(subject), it.Type, cell(by), seen)
			continue
		}
		for i, f := range it.Fields {
			if i > 0 {
				subject, by, seen = "", "", ""
			}
			fmt.Fprintf(&b, "| %s | %s | `%s` | `%s` | `%s` | %s | %s |\n",
				cell(subject), it.Type, cell(f.Path), cell(Value(f.Desired)), cell(Value(f.Live)), cell(by), seen)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cell escapes the characters that would break a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
