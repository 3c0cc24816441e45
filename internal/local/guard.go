package local

import (
	"net"
	"net/http"
	"strings"
)

// guard keeps web pages elsewhere from using the local servers through the
// browser of the person running them. The servers listen on loopback, but a
// page on any site can make the browser send requests there:
//
//   - A Host that is not a loopback name or address (or the address the
//     server was told to listen on) is refused: that is DNS rebinding, a
//     foreign name made to resolve to 127.0.0.1.
//   - On API endpoints (api set), a request that carries an Origin is
//     refused: the SDKs never send one, browsers always do across origins.
//   - On pages, a request other than GET or HEAD from another origin is
//     refused; the pages themselves change nothing.
func guard(next http.Handler, listen string, api bool) http.Handler {
	listenHost, _, _ := net.SplitHostPort(listen)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowedHost(r.Host, listenHost) {
			http.Error(w, "this server answers only to loopback names (127.0.0.1, localhost)", http.StatusMisdirectedRequest)
			return
		}
		origin := r.Header.Get("Origin")
		if origin != "" && (api || (r.Method != http.MethodGet && r.Method != http.MethodHead && !sameOrigin(origin, r.Host))) {
			http.Error(w, "cross-origin requests are refused", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func allowedHost(hostport, listenHost string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	return listenHost != "" && strings.EqualFold(host, strings.Trim(listenHost, "[]"))
}

func sameOrigin(origin, host string) bool {
	o, ok := strings.CutPrefix(origin, "http://")
	return ok && strings.EqualFold(o, host)
}
