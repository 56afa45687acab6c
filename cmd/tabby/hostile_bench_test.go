package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tabbynet/tabby/internal/synthrepo"
	"github.com/tabbynet/tabby/render"
)

// The hostile repositories of issue 13: content written to make a render
// exhaust the controller's memory (512 MiB) or CPU. Each case runs the real
// command in a child process, whose peak resident memory (VmHWM) and wall
// and CPU time are reported beside the target of 256 MiB. A child that passes
// hostileKillRSS or hostileKillTime is killed, so that a regression cannot
// take the machine down; its figures then read as at least those.
//
//	go test ./cmd/tabby -run XXX -bench Hostile -benchtime 1x
func BenchmarkHostile(b *testing.B) {
	for _, c := range hostileCases() {
		b.Run(c.name, func(b *testing.B) {
			dir := hostileRepo(b, c.files, c.links)
			for b.Loop() {
				r := runHostileChild(b, c.args(dir))
				b.ReportMetric(float64(r.maxRSS)/(1<<20), "peak-RSS-MiB")
				b.ReportMetric(r.wall.Seconds(), "wall-s")
				b.ReportMetric(r.cpu.Seconds(), "cpu-s")
				b.ReportMetric(256, "target-MiB")
				b.Logf("%s: %s", c.name, r)
			}
		})
	}
}

type hostileCase struct {
	name  string
	files map[string]string // slash path → content
	links map[string]string // slash path → symlink target
	args  func(dir string) []string
}

func hostileCases() []hostileCase {
	const issue = 8 << 20 // the file size the issue measured with
	limit := int(render.DefaultMaxFileSize)
	docs := func(n int) string { return fill("---\na: 1\n", n) }
	flat := func(n int) string { return "kind: List\nitems: [" + fill("0,", n-32) + "0]\n" }
	six := func(n int) map[string]string {
		files := map[string]string{}
		for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
			files[name+".yaml"] = docs(n)
		}
		return files
	}
	render := func(dir string) []string { return []string{"render", "--root", dir, dir} }
	planWorktree := func(dir string) []string { return []string{"plan", "--repo", dir, "--base", "HEAD", "-o", "json"} }
	planTree := func(dir string) []string {
		return []string{"plan", "--repo", dir, "--base", "HEAD", "--head", "HEAD", "-o", "json"}
	}
	fanFiles, fanLinks := symlinkFanOut(10, 6, false)
	oldFanFiles, oldFanLinks := symlinkFanOut(10, 6, true)
	kFanFiles, kFanLinks := kustomizationFanOut(10, 6)
	return []hostileCase{
		{name: "render/8MiB-of-documents", files: map[string]string{"big.yaml": docs(issue)}, args: render},
		{name: "render/max-file-of-documents", files: map[string]string{"big.yaml": docs(limit)}, args: render},
		{name: "plan/8MiB-of-documents", files: map[string]string{"big.yaml": docs(issue)}, args: planWorktree},
		{name: "plan/max-file-of-documents", files: map[string]string{"big.yaml": docs(limit)}, args: planWorktree},
		{name: "plan/six-names-one-8MiB-blob", files: six(issue), args: planTree},
		{name: "plan/six-names-one-max-blob", files: six(limit), args: planTree},
		{name: "render/1000-alias-bombs", files: map[string]string{"bombs.yaml": aliasBombs(1000)}, args: render},
		{name: "plan/symlink-fan-out", files: fanFiles, links: fanLinks, args: planTree},
		{name: "plan/symlink-fan-out-virtual", files: oldFanFiles, links: oldFanLinks, args: planTree},
		{name: "render/symlink-fan-out", files: fanFiles, links: fanLinks, args: render},
		{name: "render/symlink-fan-out-through-kustomizations", files: kFanFiles, links: kFanLinks, args: func(dir string) []string {
			return []string{"render", "--root", dir, dir + "/d0"}
		}},
		{name: "render/8MiB-flat-list", files: map[string]string{"flat.yaml": flat(issue)}, args: render},
		{name: "render/max-file-flat-list", files: map[string]string{"flat.yaml": flat(limit)}, args: render},
		{name: "render/objects-at-the-budgets", files: objectsAtTheBudgets(), args: render},
		{name: "plan/objects-at-the-budgets", files: objectsAtTheBudgets(), args: planTree},
		{name: "render/legit-30000-objects", files: stringFiles(synthrepo.Files(synthrepo.Mix(30_000))), args: render},
	}
}

// objectsAtTheBudgets returns the most objects the default budgets let a
// render hold: DefaultMaxDocuments GlobalNetworkSets of DefaultMaxValues
// values in all, in files of at most DefaultMaxFileSize.
func objectsAtTheBudgets() map[string]string {
	const valuesPerSet = 13 // besides its nets: keys, values, the document
	nets := int(render.DefaultMaxValues)/render.DefaultMaxDocuments - valuesPerSet
	files := map[string]string{}
	var b strings.Builder
	for i := 0; i < render.DefaultMaxDocuments; i++ {
		fmt.Fprintf(&b, "---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: set-%d}\nspec:\n  nets:\n", i)
		for j := 0; j < nets; j++ {
			fmt.Fprintf(&b, "  - 10.%d.%d.%d/32\n", i>>8&255, i&255, j)
		}
		if b.Len() > int(render.DefaultMaxFileSize)-4096 || i == render.DefaultMaxDocuments-1 {
			files[fmt.Sprintf("sets/%05d.yaml", len(files))] = b.String()
			b.Reset()
		}
	}
	return files
}

// fill repeats s up to n bytes.
func fill(s string, n int) string { return strings.Repeat(s, n/len(s)) }

// aliasBombs returns n documents, each expanding through aliases to about
// 911,000 values, under the old cap of a million values per document.
func aliasBombs(n int) string {
	const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: [*e, *e, *e, *e, *e, *e, *e, *e]
`
	return strings.Repeat("---\n"+bomb, n)
}

// symlinkFanOut returns a repository whose directory d<i> holds k symlinks
// to d<i+1>, depth levels deep: k^depth paths lead to the one file at the
// bottom. With virtual set, each link's target is written relative to the
// path the old Git tree walk saw it at (d0/l0/l0/…), which is how that walk
// resolved links, rather than to the directory holding it.
func symlinkFanOut(k, depth int, virtual bool) (files, links map[string]string) {
	files = map[string]string{
		fmt.Sprintf("d%d/tier.yaml", depth): "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: t}\nspec: {order: 1}\n",
	}
	links = map[string]string{}
	for i := 0; i < depth; i++ {
		up := "../"
		if virtual {
			up = strings.Repeat("../", i+1)
		}
		for j := 0; j < k; j++ {
			links[fmt.Sprintf("d%d/l%d", i, j)] = fmt.Sprintf("%sd%d", up, i+1)
		}
	}
	return files, links
}

// kustomizationFanOut returns a repository whose kustomization d<i> lists
// k symlinks to d<i+1>, depth levels deep: k^depth paths to one file.
func kustomizationFanOut(k, depth int) (files, links map[string]string) {
	files = map[string]string{
		fmt.Sprintf("d%d/kustomization.yaml", depth): "resources: [tier.yaml]\n",
		fmt.Sprintf("d%d/tier.yaml", depth):          "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: t}\nspec: {order: 1}\n",
	}
	links = map[string]string{}
	for i := 0; i < depth; i++ {
		var names []string
		for j := 0; j < k; j++ {
			links[fmt.Sprintf("d%d/l%d", i, j)] = fmt.Sprintf("../d%d", i+1)
			names = append(names, fmt.Sprintf("l%d", j))
		}
		files[fmt.Sprintf("d%d/kustomization.yaml", i)] = "resources: [" + strings.Join(names, ", ") + "]\n"
	}
	return files, links
}

// hostileRepo writes files and symlinks to a directory and commits them
// with git: the directory is both a checkout and its repository.
func hostileRepo(b *testing.B, files, links map[string]string) string {
	b.Helper()
	dir := b.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for name, target := range links {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			b.Fatal(err)
		}
	}
	home := b.TempDir()
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "hostile"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@tabby.invalid", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@tabby.invalid"}
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return dir
}

const (
	hostileKillRSS  = 4 << 30
	hostileKillTime = 3 * time.Minute
	hostileArgsEnv  = "TABBY_HOSTILE_ARGS"
)

// TestHostileChild is the child process of BenchmarkHostile: it runs the
// command in hostileArgsEnv and prints its exit code and first error line.
// Without that variable it does nothing.
func TestHostileChild(t *testing.T) {
	args, ok := os.LookupEnv(hostileArgsEnv)
	if !ok {
		t.Skip("only runs as BenchmarkHostile's child process")
	}
	var out head
	var errOut bytes.Buffer
	code := run(strings.Split(args, "\x1f"), &out, &errOut)
	fmt.Printf("hostile-result hwm=%d exit=%d stdout=%d stderr=%d stopped-by=%q\n", procStatus("self", "VmHWM"), code, out.n, errOut.Len(),
		clip(stoppedBy(out.String()+"\n"+errOut.String())))
}

// stoppedBy returns the first line that says which budget or limit stopped
// the render, or "".
func stoppedBy(output string) string {
	for _, line := range strings.Split(output, "\n") {
		for _, word := range []string{"budget", "over the limit", "deadline", "symlink"} {
			if strings.Contains(line, word) {
				return strings.TrimSpace(line)
			}
		}
	}
	return ""
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// head keeps the first MiB written to it, and counts the rest.
type head struct {
	bytes.Buffer
	n int64
}

func (h *head) Write(p []byte) (int, error) {
	h.n += int64(len(p))
	if room := 1<<20 - h.Len(); room > 0 {
		h.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

type hostileResult struct {
	maxRSS    int64 // the child's VmHWM: its peak RSS since exec
	wall, cpu time.Duration
	killed    string
	result    string
}

func (r hostileResult) String() string {
	s := fmt.Sprintf("peak RSS %.0f MiB, %.2f s wall, %.2f s CPU", float64(r.maxRSS)/(1<<20), r.wall.Seconds(), r.cpu.Seconds())
	if r.killed != "" {
		return s + ", killed: " + r.killed
	}
	return s + ", " + r.result
}

// runHostileChild runs the test binary's TestHostileChild with args, and
// measures it.
func runHostileChild(b *testing.B, args []string) hostileResult {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), hostileArgsEnv+"="+strings.Join(args, "\x1f"))
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = io.Discard
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	var (
		killed string
		peak   int64
	)
	exited, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-exited:
				return
			case <-tick.C:
			}
			pid := strconv.Itoa(cmd.Process.Pid)
			peak = max(peak, procStatus(pid, "VmHWM"))
			if procStatus(pid, "VmRSS") > hostileKillRSS {
				killed = fmt.Sprintf("resident memory passed %d MiB", hostileKillRSS>>20)
			} else if time.Since(start) > hostileKillTime {
				killed = fmt.Sprintf("still running after %s", hostileKillTime)
			} else {
				continue
			}
			_ = cmd.Process.Kill()
			return
		}
	}()
	_ = cmd.Wait()
	r := hostileResult{wall: time.Since(start)}
	close(exited)
	<-done
	r.killed, r.maxRSS = killed, peak
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "hostile-result "); ok {
			hwm, result, _ := strings.Cut(strings.TrimPrefix(rest, "hwm="), " ")
			r.maxRSS, _ = strconv.ParseInt(hwm, 10, 64)
			r.result = result
		}
	}
	if r.killed == "" && r.result == "" {
		b.Fatalf("child %v ended without a result: %v", args, cmd.ProcessState)
	}
	return r
}

// procStatus returns a memory figure of /proc/<pid>/status in bytes, or 0:
// VmRSS, the resident memory now, or VmHWM, its peak. (ru_maxrss does not
// do: Linux carries it over exec from the parent.)
func procStatus(pid, field string) int64 {
	data, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
