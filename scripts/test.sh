#!/usr/bin/env bash
# Runs every test: unit and integration tests of all modules, against real servers.
#   1. all modules against the latest client_java (the project's default);
#   2. the Spring Boot integration and the demo again against client_java 1.4.3,
#      the version Spring Boot 4.0.7 pins (profile client-java-boot);
#   3. with JDK25=true or CI=true, and a Temurin 25 JDK present, core, servlet and
#      exporter again on Java 25.
# Extra Maven options can be passed in MAVEN_ARGS (read by Maven itself).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==== test.sh: %s ====\n\n' "$*"; }

step "installing test tools"
bash scripts/install-test-tools.sh

MVN=(./mvnw -B -ntp)

step "all modules, latest client_java: ./mvnw -B install (installed so step 2 runs the jars as released)"
"${MVN[@]}" install

step "Spring Boot integration against client_java 1.4.3 (Spring Boot 4.0.7's version)"
# clean: otherwise the demo's runnable jar of step 1 (client_java latest) is kept as up to date,
# and DemoJarIT/DemoPostgresIT/DemoRedisIT would not run the 1.4.3 jar.
"${MVN[@]}" clean verify -Pclient-java-boot -pl cache,jdbc,jpa,migrations,multiprocess,spring-boot,spring-boot-security-tests,demo

JDK25_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
if [[ "${JDK25:-}" == true || "${CI:-}" == true ]]; then
  if [[ -x "$JDK25_HOME/bin/java" ]]; then
    step "every module rebuilt and tested on Java 25 ($JDK25_HOME)"
    JAVA_HOME="$JDK25_HOME" "${MVN[@]}" clean verify
  else
    step "no Temurin 25 JDK at $JDK25_HOME: Java 25 run skipped"
  fi
fi

step "all test runs passed"
