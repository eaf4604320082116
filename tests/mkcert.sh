#!/bin/sh
# mkcert.sh DIR: a throwaway PKI for the TLS tests, made fresh each time
# with openssl, so no key is ever committed.  In DIR:
#   ca.pem               a CA (the one test clients trust: curl --cacert,
#                        XT_CA_FILE)
#   server.pem server.key  signed by it, for IP 127.0.0.1 and DNS localhost
#   wrong.pem  wrong.key   signed by the same CA, valid, but only for
#                        DNS wrong.example: verification must fail on the
#                        name alone
#   other-ca.pem         a second CA that signed nothing here: trusting it
#                        instead of ca.pem must fail verification
# EC P-256 keys, so it takes a few hundredths of a second; valid 2 days.
set -eu

[ $# -eq 1 ] || { echo "usage: mkcert.sh DIR" >&2; exit 2; }
dir=$1
mkdir -p "$dir"
cd "$dir"
umask 077

newkey() {	# newkey NAME: an EC P-256 private key in NAME.key
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1.key" 2>/dev/null
}

leaf() {	# leaf NAME SUBJECT_ALT_NAME: NAME.pem signed by the CA
	newkey "$1"
	openssl req -new -key "$1.key" -subj "/CN=xt test $1" -out "$1.csr"
	printf '%s\n' \
	    "subjectAltName = $2" \
	    'basicConstraints = critical, CA:FALSE' \
	    'keyUsage = critical, digitalSignature' \
	    'extendedKeyUsage = serverAuth' >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key \
	    -CAserial ca.srl -CAcreateserial -days 2 -sha256 \
	    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr" "$1.ext"
}

ca() {		# ca NAME: a self-signed CA, NAME.pem and NAME.key
	newkey "$1"
	openssl req -new -x509 -key "$1.key" -subj "/CN=xt test $1" -days 2 \
	    -sha256 -addext 'basicConstraints = critical, CA:TRUE' \
	    -addext 'keyUsage = critical, keyCertSign, cRLSign' -out "$1.pem"
}

ca other-ca
ca ca
leaf server 'IP:127.0.0.1, DNS:localhost'
leaf wrong 'DNS:wrong.example'	# last: its presence means DIR is complete
rm -f other-ca.key
chmod 644 ca.pem other-ca.pem server.pem wrong.pem
