package drift

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tabbynet/tabby/internal/mdescape"
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
// chat message. Every string the report holds (subjects, sources, types,
// field paths and values, managers) is escaped for where it goes (package
// mdescape): whatever the repository or the cluster puts in them, the
// section has one heading and one table, with one row per field and seven
// cells per row, and mentions no one.
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
		subject, typ, by, seen := it.mdCells()
		if len(it.Fields) == 0 {
			fmt.Fprintf(&b, "| %s | %s | | | | %s | %s |\n", subject, typ, by, seen)
			continue
		}
		for i, f := range it.Fields {
			if i > 0 {
				subject, by, seen = "", "", ""
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", subject, typ,
				mdescape.Cell(mdescape.Code(f.Path)), mdescape.Cell(mdescape.Code(Value(f.Desired))),
				mdescape.Cell(mdescape.Code(Value(f.Live))), by, seen)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCells returns the cells of the item's first row that do not depend on
// the field, escaped: the object and where Git defines it, the type of
// drift, who changed it and when, and when it was first seen.
func (it Item) mdCells() (subject, typ, by, seen string) {
	subject = mdescape.Code(it.Subject)
	if it.Source != "" {
		subject += " (" + mdescape.Text(it.Source) + ")"
	}
	by = mdescape.Text(it.Manager)
	if it.ChangedAt != nil {
		by += " at " + stamp(*it.ChangedAt)
	}
	if it.FirstSeen != nil {
		seen = stamp(*it.FirstSeen)
	}
	return mdescape.Cell(subject), mdescape.Cell(mdescape.Text(string(it.Type))), mdescape.Cell(by), seen
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
