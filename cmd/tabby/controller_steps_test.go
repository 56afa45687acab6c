package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// startController runs tabby controller until the returned function, or
// the end of the test, stops it.
func startController(t *testing.T, o controllerOptions) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runController(ctx, o) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("the controller did not stop cleanly: %v", err)
		}
	}
	t.Cleanup(stop)
	return stop
}

// waitSynced waits until the NetworkSync has applied commit.
func waitSynced(t *testing.T, c client.Client, sync *v1alpha1.NetworkSync, commit string) {
	t.Helper()
	obj := &v1alpha1.NetworkSync{}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if err := c.Get(context.Background(), client.ObjectKeyFromObject(sync), obj); err != nil {
			t.Fatal(err)
		}
		ready := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
		if ready != nil && ready.Status == metav1.ConditionTrue && strings.HasSuffix(obj.Status.LastAppliedRevision, commit) {
			return
		}
		if ready != nil && ready.Status == metav1.ConditionFalse && ready.Reason != v1alpha1.ReasonProgressing {
			t.Fatalf("the sync of %s failed: %s: %s", commit, ready.Reason, ready.Message)
		}
	}
	t.Fatalf("%s was not applied: status %+v", commit, obj.Status)
}

// waitCorrected waits until every object is labelled owner: git again.
func waitCorrected(t *testing.T, c client.Client, objs []*unstructured.Unstructured) {
	t.Helper()
	for _, want := range objs {
		var owner string
		for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			u := want.DeepCopy()
			if err := c.Get(context.Background(), client.ObjectKeyFromObject(want), u); err != nil {
				t.Fatal(err)
			}
			if owner = u.GetLabels()["owner"]; owner == "git" {
				break
			}
		}
		if owner != "git" {
			t.Fatalf("%s %s was not corrected: owner %q", want.GetKind(), want.GetName(), owner)
		}
	}
}

// manifests decodes the objects of a YAML file as the cluster holds them:
// a Calico Node is its Kubernetes Node.
func manifests(t *testing.T, data string) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	dec := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(data), 4096)
	for {
		u := &unstructured.Unstructured{}
		if err := dec.Decode(&u.Object); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		if len(u.Object) == 0 {
			continue
		}
		if u.GetAPIVersion() == "projectcalico.org/v3" && u.GetKind() == "Node" {
			u.SetAPIVersion("v1")
		}
		out = append(out, u)
	}
}

// pushSigned sends the receiver a GitHub push event of commit on main,
// signed with the NetworkSync's receiver token.
func pushSigned(t *testing.T, addr, commit string) {
	t.Helper()
	body := []byte(`{"ref":"refs/heads/main","after":"` + commit + `"}`)
	mac := hmac.New(sha256.New, []byte(rbacHookSecret))
	mac.Write(body)
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("http://%s/hook/%s/prod", addr, controllerNamespace), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-GitHub-Event", "push")
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusAccepted {
		t.Fatalf("push: status %d", resp.StatusCode)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
