#!/bin/sh
# Generates the Python code of Baton's contract (proto/src/main/proto/baton/v1/*.proto) into OUT_DIR.
# Usage: generate.sh OUT_DIR [GOOGLE_API_PROTOS_DIR]
# Needs Debian's protoc 3.21 and gRPC plugin:
#   apt-get install -y protobuf-compiler protobuf-compiler-grpc libprotobuf-dev python3-grpcio python3-protobuf
# google/api/{annotations,http}.proto come from GOOGLE_API_PROTOS_DIR, or else from the
# proto-google-common-protos jar in ~/.m2 (the Maven build downloads it).
set -eu

out=${1:?usage: generate.sh OUT_DIR [GOOGLE_API_PROTOS_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
protos=$(cd "$here/../../../proto/src/main/proto" && pwd)
plugin=/usr/bin/grpc_python_plugin

for tool in protoc "$plugin"; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "generate.sh: $tool not found; install: apt-get install -y protobuf-compiler protobuf-compiler-grpc libprotobuf-dev" >&2
    exit 2
  }
done
[ -f /usr/include/google/protobuf/struct.proto ] || {
  echo "generate.sh: /usr/include/google/protobuf/*.proto not found; install: apt-get install -y libprotobuf-dev" >&2
  exit 2
}

googleapis=${2:-}
if [ -z "$googleapis" ]; then
  jar=$(ls "${HOME}"/.m2/repository/com/google/api/grpc/proto-google-common-protos/*/proto-google-common-protos-*.jar \
        2>/dev/null | grep -v sources | tail -n 1 || true)
  [ -n "$jar" ] || { echo "generate.sh: no proto-google-common-protos jar in ~/.m2; pass GOOGLE_API_PROTOS_DIR" >&2; exit 2; }
  googleapis=$(mktemp -d)
  trap 'rm -rf "$googleapis"' EXIT
  /usr/bin/python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], ["google/api/annotations.proto", "google/api/http.proto"])' \
    "$jar" "$googleapis"
fi

mkdir -p "$out"
cd "$protos"
protoc -I . -I "$googleapis" -I /usr/include \
  --python_out="$out" --grpc_out="$out" --plugin=protoc-gen-grpc="$plugin" \
  baton/v1/*.proto google/api/annotations.proto google/api/http.proto
echo "generated into $out"
