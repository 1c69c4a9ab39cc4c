#!/bin/sh
# ML-DSA-65 identities for QSP with the JDK's keytool (JDK 24 or newer): a CA, a server and a client identity in
# PKCS#12, and a trust store holding the CA. Run it in an empty directory, e.g.
#   STOREPASS='a password' SERVER_NAME=server.example.com CLIENT_NAME=client-1 sh identity-recipe.sh
# Keep ca.p12 (the CA's private key) offline; hand out server.p12, client.p12 and truststore.p12.
set -eu
: "${STOREPASS:?set STOREPASS to the password of the new stores}"
SERVER_NAME="${SERVER_NAME:-localhost}"
CLIENT_NAME="${CLIENT_NAME:-qsp-client}"
KT="${JAVA_HOME:+$JAVA_HOME/bin/}keytool"

# 1. The CA: a self-signed ML-DSA-65 certificate that says it is a CA (basicConstraints, critical: -ext bc:c).
"$KT" -genkeypair -alias ca -keyalg ML-DSA-65 -dname "CN=QSP CA" -ext bc:c -validity 3650 \
    -storetype PKCS12 -keystore ca.p12 -storepass "$STOREPASS"
"$KT" -exportcert -alias ca -keystore ca.p12 -storepass "$STOREPASS" -rfc -file ca.cer

# 2. An identity the CA signs: key pair, certificate request, certificate with the name as SAN (QSP checks the SAN),
#    then the signed certificate back into the store as the chain leaf -> CA (keytool needs the CA there to build
#    the chain; it is removed again afterwards, the chain keeps it).
issue() { # issue STORE ALIAS NAME
  "$KT" -genkeypair -alias "$2" -keyalg ML-DSA-65 -dname "CN=$3" -validity 825 \
      -storetype PKCS12 -keystore "$1" -storepass "$STOREPASS"
  "$KT" -certreq -alias "$2" -keystore "$1" -storepass "$STOREPASS" -file "$2.csr"
  "$KT" -gencert -alias ca -keystore ca.p12 -storepass "$STOREPASS" -infile "$2.csr" -outfile "$2.cer" \
      -ext "san=dns:$3" -ext ku:c=digitalSignature -validity 825 -rfc
  "$KT" -importcert -noprompt -alias ca -file ca.cer -keystore "$1" -storepass "$STOREPASS"
  "$KT" -importcert -alias "$2" -file "$2.cer" -keystore "$1" -storepass "$STOREPASS"
  "$KT" -delete -alias ca -keystore "$1" -storepass "$STOREPASS"
}
issue server.p12 server "$SERVER_NAME"
issue client.p12 client "$CLIENT_NAME"

# 3. The trust store both sides verify each other with: the CA certificate alone.
"$KT" -importcert -noprompt -alias qsp-ca -file ca.cer -storetype PKCS12 -keystore truststore.p12 \
    -storepass "$STOREPASS"
