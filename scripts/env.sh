# Sourced by the project's scripts: finds JDK 25 and Maven, or says how to get them.
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [ ! -x "$JAVA_HOME/bin/java" ]; then
  echo "scoutfs needs JDK 25: install Temurin 25 (https://adoptium.net) at $JAVA_HOME or set JAVA_HOME to a JDK 25" >&2
  exit 1
fi
export PATH=$JAVA_HOME/bin:$PATH
if ! command -v mvn >/dev/null 2>&1; then
  echo "scoutfs builds with Maven: sudo apt-get install -y maven" >&2
  exit 1
fi
