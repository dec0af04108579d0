# SPDX-License-Identifier: AGPL-3.0-only
# Sourced by ./parley and .ci scripts: prints the home of a JDK 25 or newer, or explains what to do.
parley_jdk_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}

parley_find_jdk() {
  local candidate major
  for candidate in "${PARLEY_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* \
                   /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [[ -n "$candidate" && -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]] || continue
    major="$(parley_jdk_major "$candidate")"
    if [[ -n "$major" && "$major" -ge 25 ]]; then
      echo "$candidate"
      return 0
    fi
  done
  echo "parley: JDK 25 or newer is required; install one (e.g. Temurin 25 in /usr/lib/jvm/temurin-25-jdk-amd64) or set PARLEY_JAVA_HOME" >&2
  return 1
}
