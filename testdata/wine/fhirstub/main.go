// Command fhirstub is a test-only stand-in for a FHIR R4 server, used by scripts/windows/smoke.sh to
// prove that `referraldesk.exe account test` under Wine read back the secret it stored in the Windows
// credential store: /metadata and /Patient answer only to HTTP Basic with the expected user and secret.
// It prints its address on stdout and serves until killed. Never shipped.
package main

import (
	"crypto/subtle"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
)

func main() {
	user := flag.String("user", "", "expected user name")
	secretFile := flag.String("secret-file", "", "file holding the expected secret")
	flag.Parse()
	b, err := os.ReadFile(*secretFile)
	if err != nil {
		log.Fatal(err)
	}
	secret := strings.TrimRight(string(b), "\r\n")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ln.Addr().String())
	auth := func(r *http.Request) bool {
		u, p, ok := r.BasicAuth()
		return ok && u == *user && subtle.ConstantTimeCompare([]byte(p), []byte(secret)) == 1
	}
	http.HandleFunc("/fhir/metadata", func(w http.ResponseWriter, r *http.Request) {
		if !auth(r) {
			http.Error(w, `{"resourceType":"OperationOutcome"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json")
		fmt.Fprint(w, `{"resourceType":"CapabilityStatement","fhirVersion":"4.0.1"}`)
	})
	http.HandleFunc("/fhir/Patient", func(w http.ResponseWriter, r *http.Request) {
		if !auth(r) {
			http.Error(w, `{"resourceType":"OperationOutcome"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json")
		fmt.Fprint(w, `{"resourceType":"Bundle","type":"searchset","total":0}`)
	})
	log.Fatal(http.Serve(ln, nil))
}
