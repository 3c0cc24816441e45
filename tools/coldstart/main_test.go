package main

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary play a Lambda function when coldstart
// starts it: the function's name says what to do.
func TestMain(m *testing.M) {
	switch os.Getenv("AWS_LAMBDA_FUNCTION_NAME") {
	case "coachmail-fake":
		resp, err := http.Get("http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/next")
		if err == nil {
			resp.Body.Close()
		}
		os.Exit(0)
	case "coachmail-fails":
		os.Stderr.WriteString("configuration: COACHMAIL_TABLE is required\n")
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func TestColdStart(t *testing.T) {
	rt, err := startRuntime()
	if err != nil {
		t.Fatal(err)
	}
	defer rt.close()
	ctx := context.Background()
	for range 3 {
		d, rss, err := rt.coldStart(ctx, os.Args[0], "fake", 30*time.Second)
		if err != nil || d <= 0 || rss <= 0 {
			t.Errorf("coldStart(fake) = %v, %d bytes, %v; want a positive time and peak RSS", d, rss, err)
		}
	}
	_, _, err = rt.coldStart(ctx, os.Args[0], "fails", 30*time.Second)
	if err == nil || !strings.Contains(err.Error(), "exited before") || !strings.Contains(err.Error(), "COACHMAIL_TABLE") {
		t.Errorf("coldStart(fails) error = %v, want the exit and its stderr", err)
	}
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 20; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := summarize(ds)
	want := summary{min: time.Millisecond, median: 10 * time.Millisecond, p95: 19 * time.Millisecond, max: 20 * time.Millisecond}
	if got != want {
		t.Errorf("summarize(1..20 ms) = %+v, want %+v", got, want)
	}
	if one := summarize([]time.Duration{time.Second}); one.min != time.Second || one.p95 != time.Second {
		t.Errorf("summarize(1s) = %+v, want 1s throughout", one)
	}
}

func TestLambdaEnv(t *testing.T) {
	env := strings.Join(lambdaEnv("inbound", "127.0.0.1:9001"), "\n")
	for _, want := range []string{"AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001", "AWS_LAMBDA_FUNCTION_NAME=coachmail-inbound", "COACHMAIL_TABLE=", "AWS_REGION="} {
		if !strings.Contains(env, want) {
			t.Errorf("lambdaEnv lacks %s", want)
		}
	}
}
