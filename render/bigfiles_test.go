package render

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const bigSize = 7_900_000

// bigFile is a 7.9 MB manifest of small documents, as a repository that
// makes a render read, parse and hold as much as it can.
func bigFile() string {
	var b strings.Builder
	for i := 0; b.Len() < bigSize; i++ {
		fmt.Fprintf(&b, "---\n"+tier, fmt.Sprintf("t-%d", i))
	}
	return b.String()[:bigSize]
}

// junkFile is 7.9 MB that YAML refuses at its first byte: read whole,
// parsed at no cost, so that only the bytes read can stop a render of many.
func junkFile() string { return "\t" + strings.Repeat("x", bigSize-1) }

// writeBigFiles writes ten files of content(i) in a new directory.
func writeBigFiles(t *testing.T, content func(i int) string) string {
	root := t.TempDir()
	for i := range 10 {
		if err := os.WriteFile(filepath.Join(root, fmt.Sprintf("big-%d.yaml", i)), []byte(content(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestTenBigFiles renders ten 7.9 MB files: with the default budgets each is
// refused unread, at its file; with the file size limit raised past them,
// the bytes read stop the render at the file that would take it past 32
// MiB, before that file is read.
func TestTenBigFiles(t *testing.T) {
	t.Run("default budgets", func(t *testing.T) {
		content := bigFile()
		root := writeBigFiles(t, func(int) string { return content })
		_, err := Dir(t.Context(), root, ".", Options{})
		var list ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("err = %v, want an ErrorList", err)
		}
		if len(list) != 10 {
			t.Fatalf("got %d errors, want one per file:\n%v", len(list), err)
		}
		for i, e := range list {
			want := fmt.Sprintf("big-%d.yaml: file is 7.5 MiB, over the limit of 512.0 KiB; split it into smaller files, or raise --render-max-file-size", i)
			if e.Code != CodeBudgetExceeded || e.Error() != want {
				t.Errorf("error %d: %s %q, want %s %q", i, e.Code, e, CodeBudgetExceeded, want)
			}
		}
	})

	t.Run("file size limit raised", func(t *testing.T) {
		content := junkFile()
		root := writeBigFiles(t, func(int) string { return content })
		_, err := Dir(t.Context(), root, ".", Options{MaxFileSize: 8 << 20})
		var list ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("err = %v, want an ErrorList", err)
		}
		var got []string
		for _, e := range list {
			got = append(got, e.Code+" "+e.Error())
		}
		var want []string
		for i := range 4 {
			want = append(want, fmt.Sprintf("yaml-syntax big-%d.yaml: YAML syntax error: found character that cannot start any token", i))
		}
		want = append(want, "budget-exceeded big-4.yaml: reading this file (7.5 MiB) takes the bytes read past the render's budget of 32.0 MiB; render a smaller path, or raise --render-max-bytes")
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
