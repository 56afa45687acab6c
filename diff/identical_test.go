package diff

import (
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// TestIdenticalAgreesWithDeepEqual checks the fast path of Object against
// reflect.DeepEqual on every pair of objects of the corpus, copies included.
func TestIdenticalAgreesWithDeepEqual(t *testing.T) {
	var objs []any
	for _, tc := range objectCases {
		for _, files := range []map[string]string{tc.base, tc.head} {
			for _, o := range renderFiles(t, files).Objects {
				objs = append(objs, o.Object, o.Object.DeepCopyObject())
			}
		}
	}
	ts := metav1.NewTime(time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC))
	objs = append(objs,
		&metav1.ObjectMeta{Name: "a", CreationTimestamp: ts},
		&metav1.ObjectMeta{Name: "a", CreationTimestamp: metav1.NewTime(ts.Add(time.Second))},
		&metav1.ObjectMeta{Name: "a", CreationTimestamp: *ts.DeepCopy()},
		&unstructured.Unstructured{Object: map[string]any{"a": []any{int64(1), "x", map[string]any{"b": nil}}}},
		&unstructured.Unstructured{Object: map[string]any{"a": []any{int64(1), "x", map[string]any{"b": nil}}}},
		&unstructured.Unstructured{Object: map[string]any{"a": []any{float64(1), "x", map[string]any{"b": nil}}}},
	)
	for _, a := range objs {
		for _, b := range objs {
			want := reflect.DeepEqual(a, b)
			if got := identical(reflect.ValueOf(a), reflect.ValueOf(b), 0); got != want {
				t.Errorf("identical(%T %v, %T %v) = %v, DeepEqual says %v", a, a, b, b, got, want)
			}
		}
	}
}
