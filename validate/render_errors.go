package validate

import (
	"errors"
	"strings"

	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// RenderFindings returns the problems a render found in a repository's
// content (YAML syntax, unknown fields, wrong types, duplicate objects,
// unknown kinds) as findings of severity error, so that every output
// reports them exactly like validation findings. It returns nil when err
// holds no render.ErrorList: such an error is a runtime one, not a
// problem of the content.
func RenderFindings(err error) Findings {
	var list render.ErrorList
	if !errors.As(err, &list) {
		return nil
	}
	out := renderFindings(list)
	out.sort()
	return out
}

func renderFindings(list render.ErrorList) Findings {
	out := make(Findings, 0, len(list))
	for _, e := range list {
		out = append(out, Finding{
			Code:     e.CodeOrDefault(),
			Severity: SeverityError,
			Field:    e.Field,
			Message:  e.Msg,
			// render labels the messages of its rules Calico does not
			// enforce, such as a field name in another case.
			StricterThanCalico: strings.HasSuffix(e.Msg, stricterNote),
			Position:           manifest.Position{File: e.File, Line: e.Line, Column: e.Column},
		})
	}
	return out
}
