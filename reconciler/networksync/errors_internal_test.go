package networksync

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestFirstLinesError checks that a render error shortened for status
// still unwraps to the error render returned.
func TestFirstLinesError(t *testing.T) {
	cause := errors.New(strings.Repeat("problem\n", 12) + "last problem")
	err := fmt.Errorf("render %s: %w", ".", firstLinesError{cause, 10})
	if !errors.Is(err, cause) {
		t.Errorf("errors.Is(%q, cause) = false", err)
	}
	if got := strings.Count(err.Error(), "\n"); got != 10 || !strings.HasSuffix(err.Error(), "... and 3 more") {
		t.Errorf("message %q: want 10 lines and a count of the rest", err)
	}
}
