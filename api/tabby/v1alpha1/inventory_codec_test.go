package v1alpha1_test

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

func TestResourceInventoryRoundTrip(t *testing.T) {
	var entries []v1alpha1.InventoryEntry
	for i := 10001; i >= 0; i-- { // out of order: the inventory sorts
		entries = append(entries, v1alpha1.InventoryEntry{ID: fmt.Sprintf("ns-%d_np-%05d_projectcalico.org_NetworkPolicy", i%100, i), Version: "projectcalico.org/v3"})
	}
	inv := v1alpha1.NewResourceInventory(entries)
	if inv.Count != len(entries) {
		t.Errorf("Count = %d, want %d", inv.Count, len(entries))
	}
	if n := len(inv.Data); n > 64<<10 {
		t.Errorf("%d entries take %d bytes of status; want under 64 KiB", len(entries), n)
	}
	got, err := inv.Entries()
	if err != nil {
		t.Fatal(err)
	}
	if !sort.SliceIsSorted(got, func(i, j int) bool { return got[i].ID < got[j].ID }) {
		t.Error("entries are not sorted by ID")
	}
	want := map[v1alpha1.InventoryEntry]bool{}
	for _, e := range entries {
		want[e] = true
	}
	for _, e := range got {
		if !want[e] {
			t.Errorf("decoded %v, which was not encoded", e)
		}
		delete(want, e)
	}
	if len(want) > 0 {
		t.Errorf("%d entries lost", len(want))
	}
	if again := v1alpha1.NewResourceInventory(got); !reflect.DeepEqual(again, inv) {
		t.Error("the same entries gave different data: every status write would change it")
	}
}

func TestResourceInventoryEmpty(t *testing.T) {
	var nilInv *v1alpha1.ResourceInventory
	if got, err := nilInv.Entries(); got != nil || err != nil {
		t.Errorf("nil inventory: %v, %v", got, err)
	}
	got, err := v1alpha1.NewResourceInventory(nil).Entries()
	if len(got) != 0 || err != nil {
		t.Errorf("empty inventory: %v, %v", got, err)
	}
}

func TestResourceInventoryCorrupt(t *testing.T) {
	good := v1alpha1.NewResourceInventory([]v1alpha1.InventoryEntry{{ID: "_a_projectcalico.org_BGPPeer", Version: "projectcalico.org/v3"}})
	cases := map[string]*v1alpha1.ResourceInventory{
		"not base64":       {Count: 1, Data: "%%%"},
		"not gzip":         {Count: 1, Data: base64.StdEncoding.EncodeToString([]byte("plain text"))},
		"count mismatch":   {Count: 2, Data: good.Data},
		"truncated stream": {Count: 1, Data: good.Data[:len(good.Data)/2]},
	}
	for name, inv := range cases {
		if _, err := inv.Entries(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// FuzzResourceInventory feeds Entries whatever status may hold: it must
// never panic, and what NewResourceInventory writes it must read back.
func FuzzResourceInventory(f *testing.F) {
	f.Add(v1alpha1.NewResourceInventory([]v1alpha1.InventoryEntry{{ID: "_a_projectcalico.org_BGPPeer", Version: "projectcalico.org/v3"}}).Data, 1, "ns_n_g_K", "g/v1")
	f.Add("%%%", 0, "", "")
	f.Fuzz(func(t *testing.T, data string, count int, id, version string) {
		_, _ = (&v1alpha1.ResourceInventory{Count: count, Data: data}).Entries()
		if strings.ContainsAny(id+version, " \n\r") || id == "" {
			return
		}
		want := []v1alpha1.InventoryEntry{{ID: id, Version: version}}
		got, err := v1alpha1.NewResourceInventory(want).Entries()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip of %q: %v, %v", want, got, err)
		}
	})
}
