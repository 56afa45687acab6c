package numorstring

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseASNumber(t *testing.T) {
	cases := []struct {
		in      string
		want    ASNumber
		wantErr string
	}{
		{in: "64512", want: 64512},
		{in: "0", want: 0},
		{in: "4294967295", want: 4294967295},
		{in: "1.10", want: 65536 + 10},
		{in: "64512.100", want: 64512<<16 + 100},
		{in: "0.65535", want: 65535},
		{in: "65535.65535", want: 4294967295},
		{in: "001.010", want: 65536 + 10}, // leading zeros tolerated, as Calico does
		{in: "", wantErr: "empty"},
		{in: "4294967296", wantErr: "out of range"},
		{in: "-1", wantErr: "not a decimal number"},
		{in: "+5", wantErr: "not a decimal number"},
		{in: "1.2.3", wantErr: "low part"},
		{in: "65536.1", wantErr: "high part"},
		{in: "1.65536", wantErr: "low part"},
		{in: ".5", wantErr: "high part"},
		{in: "5.", wantErr: "low part"},
		{in: "AS64512", wantErr: "not a decimal number"},
		{in: " 64512", wantErr: "not a decimal number"},
	}
	for _, tc := range cases {
		got, err := ParseASNumber(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseASNumber(%q) error = %v, want one mentioning %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseASNumber(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestASNumberJSON(t *testing.T) {
	cases := []struct {
		in, out string
		wantErr string
	}{
		{in: `64512`, out: `64512`},
		{in: `"64512"`, out: `64512`},
		{in: `"1.10"`, out: `65546`},
		{in: `4294967295`, out: `4294967295`},
		{in: `64512.1`, wantErr: "quote asdot notation"},
		{in: `6.4512e4`, wantErr: "not an integer"},
		{in: `-1`, wantErr: "want an integer in 0-4294967295"},
		{in: `4294967296`, wantErr: "out of range"},
		{in: `true`, wantErr: "want an integer"},
		{in: `"x"`, wantErr: "not a decimal number"},
		{in: `1.0`, wantErr: "quote asdot notation"},
		{in: `1e5`, wantErr: "quote asdot notation"},
	}
	for _, tc := range cases {
		var a ASNumber
		err := json.Unmarshal([]byte(tc.in), &a)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("unmarshal %s: error = %v, want one mentioning %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("unmarshal %s: %v", tc.in, err)
			continue
		}
		out, err := json.Marshal(a)
		if err != nil || string(out) != tc.out {
			t.Errorf("marshal(unmarshal(%s)) = %s, %v; want %s", tc.in, out, err, tc.out)
		}
	}
}

func TestASDot(t *testing.T) {
	for as, want := range map[ASNumber]string{64512: "64512", 65535: "65535", 65536: "1.0", 4200000000: "64086.59904"} {
		if got := as.ASDot(); got != want {
			t.Errorf("ASNumber(%d).ASDot() = %q, want %q", as, got, want)
		}
		if back, err := ParseASNumber(want); err != nil || back != as {
			t.Errorf("ParseASNumber(%q) = %d, %v; want %d", want, back, err, as)
		}
	}
}

// TestParseASNumberLiteral shows that the unquoted spellings YAML reads as
// numbers other than the decimal the user may have meant are rejected with
// the advice to quote, rather than read as an integer.
func TestParseASNumberLiteral(t *testing.T) {
	cases := []struct {
		in      string
		want    ASNumber
		wantErr string
	}{
		{in: "64512", want: 64512},
		{in: "1.0", wantErr: "quote asdot notation"},
		{in: "1.10", wantErr: "quote asdot notation"},
		{in: "1e5", wantErr: "quote asdot notation"},
		{in: "0x10", wantErr: "not in decimal; write it in decimal, or quote asdot notation"},
		{in: "0o20", wantErr: "not in decimal"},
		{in: "-1", wantErr: "want an integer in 0-4294967295"},
	}
	for _, tc := range cases {
		got, err := ParseASNumberLiteral(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseASNumberLiteral(%q) = %d, %v; want an error mentioning %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseASNumberLiteral(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func FuzzParseASNumber(f *testing.F) {
	for _, s := range []string{"64512", "1.10", "4294967295", "65535.65535", "-1", "1.2.3", "", "1.0", "0x10", "1e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseASNumber(s)
		// An unquoted literal that parses is plain decimal, and means the same.
		if l, lerr := ParseASNumberLiteral(s); lerr == nil && (err != nil || l != a) {
			t.Fatalf("ParseASNumberLiteral(%q) = %d, but ParseASNumber = %d, %v", s, l, a, err)
		}
		if err != nil {
			return
		}
		// Whatever parses, parses back from both spellings to itself.
		for _, spelling := range []string{a.String(), a.ASDot()} {
			if b, err := ParseASNumber(spelling); err != nil || b != a {
				t.Fatalf("ParseASNumber(%q) = %d, %v; want %d (from %q)", spelling, b, err, a, s)
			}
		}
		data, _ := json.Marshal(a)
		var b ASNumber
		if err := json.Unmarshal(data, &b); err != nil || b != a {
			t.Fatalf("JSON round trip of %d: %d, %v", a, b, err)
		}
	})
}
