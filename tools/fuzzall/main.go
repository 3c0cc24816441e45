// Command fuzzall runs every Go fuzz target of the given packages, one after
// the other, for a set time each, and prints a table of executions per
// target. It fails when any target fails; the failing input is then in the
// package's testdata/fuzz folder, where it stays as a regression seed.
//
// Usage: fuzzall [-fuzztime 30s] [packages]
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

var (
	fuzzFunc  = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(\w+ \*testing\.F\)`)
	execsLine = regexp.MustCompile(`execs: (\d+)`)
)

type target struct{ pkg, dir, name string }

func main() {
	fuzztime := flag.Duration("fuzztime", 30*time.Second, "time to fuzz each target")
	jobs := flag.Int("jobs", 2, "targets fuzzed at once, each with one worker")
	flag.Parse()
	pkgs := flag.Args()
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	targets, err := find(pkgs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fuzzall:", err)
		os.Exit(1)
	}
	// Targets run side by side, one fuzzing worker each: on a small
	// machine that gives each target the same executions in a fraction of
	// the wall time, since the compile steps of one overlap the fuzzing of
	// another.
	report := make([]string, len(targets))
	outs := make([][]byte, len(targets))
	failedAt := make([]bool, len(targets))
	sem := make(chan struct{}, max(*jobs, 1))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			start := time.Now()
			cmd := exec.Command("go", "test", "-run", "^$", "-fuzz", "^"+t.name+"$", "-fuzztime", fuzztime.String(), "-parallel", "1", t.pkg)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			execs := "?"
			if m := execsLine.FindAllStringSubmatch(out.String(), -1); len(m) > 0 {
				execs = m[len(m)-1][1]
			}
			status := "ok"
			if err != nil {
				status = "FAIL"
				failedAt[i] = true
				outs[i] = out.Bytes()
			}
			report[i] = fmt.Sprintf("%-4s %-55s %-22s execs=%-10s %s", status, t.pkg, t.name, execs, time.Since(start).Round(time.Second))
		}()
	}
	wg.Wait()
	failed := 0
	for i := range targets {
		if failedAt[i] {
			failed++
			os.Stdout.Write(outs[i])
		}
	}
	fmt.Printf("fuzz: %d targets, %s each\n", len(targets), fuzztime)
	for _, r := range report {
		fmt.Println(r)
	}
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "fuzzall: %d target(s) failed\n", failed)
		os.Exit(1)
	}
}

// find lists the fuzz targets in the packages' test files.
func find(patterns []string) ([]target, error) {
	args := append([]string{"list", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .TestGoFiles \",\"}},{{join .XTestGoFiles \",\"}}"}, patterns...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	var targets []target
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 3 {
			continue
		}
		seen := map[string]bool{}
		for _, file := range strings.Split(f[2], ",") {
			if file == "" {
				continue
			}
			src, err := os.ReadFile(filepath.Join(f[1], file))
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", file, err)
			}
			for _, m := range fuzzFunc.FindAllSubmatch(src, -1) {
				if name := string(m[1]); !seen[name] {
					seen[name] = true
					targets = append(targets, target{pkg: f[0], dir: f[1], name: name})
				}
			}
		}
	}
	sort.Slice(targets, func(i, j int) bool {
		if targets[i].pkg != targets[j].pkg {
			return targets[i].pkg < targets[j].pkg
		}
		return targets[i].name < targets[j].name
	})
	return targets, sc.Err()
}
