package numorstring

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPortJSON(t *testing.T) {
	cases := []struct {
		in, out string
		want    Port
		wantErr string
	}{
		{in: `80`, out: `80`, want: SinglePort(80)},
		{in: `"80"`, out: `80`, want: SinglePort(80)},
		{in: `"8000:8080"`, out: `"8000:8080"`, want: Port{MinPort: 8000, MaxPort: 8080}},
		{in: `"80:80"`, out: `80`, want: SinglePort(80)},
		{in: `"http"`, out: `"http"`, want: NamedPort("http")},
		{in: `"8000-8080"`, out: `"8000-8080"`, want: NamedPort("8000-8080")}, // a name; validation rejects it
		{in: `0`, out: `0`, want: SinglePort(0)},                              // decodes; validation requires >= 1
		{in: `65536`, wantErr: "want an integer in 1-65535"},
		{in: `"65536"`, wantErr: "out of range"},
		{in: `"1:65536"`, wantErr: "out of range"},
		{in: `"9:1"`, wantErr: "greater than the maximum"},
		{in: `"1:2:3"`, wantErr: "not a port number"},
		{in: `":80"`, wantErr: "not a port number"},
		{in: `-1`, wantErr: "want an integer"},
		{in: `""`, wantErr: "empty"},
	}
	for _, tc := range cases {
		var p Port
		err := json.Unmarshal([]byte(tc.in), &p)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("unmarshal %s: error = %v, want one mentioning %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || p != tc.want {
			t.Errorf("unmarshal %s = %+v, %v; want %+v", tc.in, p, err, tc.want)
			continue
		}
		if out, _ := json.Marshal(p); string(out) != tc.out {
			t.Errorf("marshal %+v = %s, want %s", p, out, tc.out)
		}
	}
}

func TestPortContains(t *testing.T) {
	r, _ := PortRange(8000, 8080)
	for n, want := range map[uint16]bool{7999: false, 8000: true, 8040: true, 8080: true, 8081: false} {
		if got := r.Contains(n); got != want {
			t.Errorf("%v.Contains(%d) = %t", r, n, got)
		}
	}
	if NamedPort("http").Contains(80) {
		t.Error("an unresolved named port contains a number")
	}
}

func FuzzParsePort(f *testing.F) {
	for _, s := range []string{"80", "8000:8080", "http", "1:65536", "9:1", "", ":", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePort(s)
		if err != nil {
			return
		}
		again, err := ParsePort(p.String())
		if err != nil || again != p {
			t.Fatalf("ParsePort(%q) = %+v; its String %q parses to %+v, %v", s, p, p.String(), again, err)
		}
		if !p.IsNamed() && p.MinPort > p.MaxPort {
			t.Fatalf("ParsePort(%q) = inverted range %+v", s, p)
		}
	})
}
