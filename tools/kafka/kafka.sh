#!/usr/bin/env bash
# Real Apache Kafka 3.9.1 (KRaft, single node) for development and tests.
# The jars come from Maven Central through tools/kafka/pom.xml; nothing is installed system-wide.
# Usage: tools/kafka/kafka.sh fetch|start|stop|status|create-topics <topic>...|topics <args>|logs
# See tools/kafka/README.md for the environment variables.
set -euo pipefail

readonly KAFKA_VERSION=3.9.1
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
readonly POM="$SCRIPT_DIR/pom.xml"

abs_path() { # abs_path PATH -> absolute, normalised path (the path need not exist)
  if realpath -m / >/dev/null 2>&1; then realpath -m -- "$1"; return; fi
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "$1" ;;
  esac
}

CACHE_DIR="$(abs_path "${KAFKA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/npi-platform/kafka-$KAFKA_VERSION}")"
DATA_DIR="$(abs_path "${KAFKA_DATA_DIR:-$REPO_ROOT/.data/kafka}")"
PORT="${KAFKA_PORT:-9092}"
[[ "$PORT" =~ ^[0-9]+$ ]] || { echo "kafka.sh: error: KAFKA_PORT must be a TCP port, got '$PORT'" >&2; exit 1; }
PORT=$((10#$PORT))
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
HOST=127.0.0.1
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
readonly CACHE_DIR DATA_DIR PORT CONTROLLER_PORT HOST START_TIMEOUT STOP_TIMEOUT HEAP_OPTS

readonly MARKER="$CACHE_DIR/.complete"
readonly TOOL_DIR="$CACHE_DIR/devtool"            # compiled KafkaDevTool helper (see below)
readonly CLASSPATH_JARS="$CACHE_DIR/*"
readonly PID_FILE="$DATA_DIR/kafka.pid"
readonly PROPS="$DATA_DIR/server.properties"
readonly LOG4J_PROPS="$DATA_DIR/log4j.properties"
readonly CLUSTER_ID_FILE="$DATA_DIR/cluster.id"
readonly LOG_DIRS="$DATA_DIR/kraft"               # partition data + metadata log
readonly APP_LOG_DIR="$DATA_DIR/logs"             # server.log (log4j) and kafka.out (stdout/stderr)

# Fast-starting JVM for short-lived CLI calls (no JIT warm-up needed).
readonly CLI_JVM_OPTS=(-Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m)

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { printf 'kafka.sh: error: %s\n' "$*" >&2; exit 1; }

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
is_uint "$PORT" && ((10#$PORT > 0 && 10#$PORT < 65536)) || die "KAFKA_PORT must be a TCP port, got '$PORT'"
is_uint "$CONTROLLER_PORT" && ((10#$CONTROLLER_PORT > 0 && 10#$CONTROLLER_PORT < 65536)) \
  || die "KAFKA_CONTROLLER_PORT must be a TCP port, got '$CONTROLLER_PORT'"
((10#$PORT != 10#$CONTROLLER_PORT)) || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ (both $PORT)"
is_uint "$START_TIMEOUT" || die "KAFKA_START_TIMEOUT must be a number of seconds"
is_uint "$STOP_TIMEOUT" || die "KAFKA_STOP_TIMEOUT must be a number of seconds"

require() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH ($2)"; }

now_ms() { date +%s%3N; }
elapsed() { # elapsed START_MS -> "1.234"
  local d=$(($(now_ms) - $1))
  printf '%d.%01d' $((d / 1000)) $((d % 1000 / 100))
}

# take_lock FILE FD: serialise concurrent kafka.sh invocations on the same data dir (fd 9) or
# cache dir (fd 8). The lock is held until this script exits; the broker gets neither fd.
take_lock() {
  command -v flock >/dev/null 2>&1 || return 0
  eval "exec $2>\"\$1\""
  flock -w 600 "$2" || die "timed out after 600 s waiting for lock $1 (another kafka.sh running?)"
}

# ---------------------------------------------------------------------------------------------
# Probes
# ---------------------------------------------------------------------------------------------

# port_open HOST PORT: something accepts TCP connections there.
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

# kafka_answers HOST PORT: a Kafka *broker* answers there with at least one live broker in its
# metadata. Sends a Metadata v4 request (api_key 3, correlation id 0x4e504931 "NPI1", null client
# id, null topic list = all topics, no auto-creation) over bash /dev/tcp and checks the reply's
# correlation id and broker count. No JVM, ~10 ms. A KRaft controller listener does not serve
# Metadata (it closes the connection), and v4 is accepted by Kafka 1.0 through 4.x brokers.
kafka_answers() {
  local out
  out="$(timeout 3 bash -c '
      exec 3<>"/dev/tcp/$1/$2" || exit 1
      printf "\x00\x00\x00\x0f\x00\x03\x00\x04\x4e\x50\x49\x31\xff\xff\xff\xff\xff\xff\x00" >&3
      head -c 16 <&3 | od -An -tx1' _ "$1" "$2" 2>/dev/null)" || return 1
  out="${out//[[:space:]]/}"
  # size(4) correlation_id(4) throttle_time_ms(4) brokers.length(4)
  [[ ${#out} -eq 32 && "${out:8:8}" == 4e504931 ]] && ((16#${out:24:8} > 0))
}

# ---------------------------------------------------------------------------------------------
# fetch
# ---------------------------------------------------------------------------------------------

is_fetched() { [[ -f "$MARKER" ]]; }

cmd_fetch() {
  if is_fetched; then
    [[ "${1:-}" == quiet ]] || log "jars already in $CACHE_DIR"
    return 0
  fi
  require java "install a Java 17+ runtime"
  require mvn "install Maven 3.8+; it fetches the Kafka jars from Maven Central"
  mkdir -p "$(dirname "$CACHE_DIR")"
  take_lock "$CACHE_DIR.lock" 8
  if is_fetched; then return 0; fi # another invocation fetched while we waited

  local tmp="$CACHE_DIR.tmp.$$" t0 out
  t0="$(now_ms)"
  rm -rf "$CACHE_DIR".tmp.* # leftovers of an interrupted fetch
  log "fetching Kafka $KAFKA_VERSION jars with Maven into $CACHE_DIR (first run only; ~20 s to a few minutes)"
  # shellcheck disable=SC2086 # KAFKA_MVN_ARGS is a list of extra Maven arguments
  if ! out="$(mvn -q -B -f "$POM" ${KAFKA_MVN_ARGS:-} dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime 2>&1)"; then
    rm -rf "$tmp"
    printf '%s\n' "$out" | tail -n 30 >&2
    die "mvn could not fetch the Kafka jars (is Maven Central reachable? see the Maven output above)"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" && -f "$tmp/kafka-tools-$KAFKA_VERSION.jar" ]] \
    || { rm -rf "$tmp"; die "mvn finished but kafka_2.13-$KAFKA_VERSION.jar is missing from its output"; }
  rm -rf "$CACHE_DIR"
  mv "$tmp" "$CACHE_DIR"
  printf 'kafka %s, %s jars, fetched %s\n' "$KAFKA_VERSION" "$(find "$CACHE_DIR" -maxdepth 1 -name '*.jar' | wc -l)" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$MARKER"
  log "fetched $(find "$CACHE_DIR" -maxdepth 1 -name '*.jar' | wc -l) jars ($(du -sh "$CACHE_DIR" | cut -f1)) in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------------------------------------
# KafkaDevTool: a tiny Admin-client helper, compiled once into the cache. TopicCommand creates
# one topic per JVM (~1.5 s each); this creates any number of topics in one call.
# ---------------------------------------------------------------------------------------------

devtool_source() {
  cat <<'JAVA'
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.common.errors.TopicExistsException;

/** Generated by tools/kafka/kafka.sh. Usage: create-topics BOOTSTRAP PARTITIONS RF TOPIC... */
public final class KafkaDevTool {
  public static void main(String[] args) {
    if (args.length < 2) { System.err.println("usage: create-topics BOOTSTRAP PARTITIONS RF TOPIC..."); System.exit(2); }
    long timeoutMs = Long.getLong("timeoutMs", 20000L);
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka.sh");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    int rc;
    Admin admin = Admin.create(p);
    try {
      rc = args[0].equals("create-topics") ? createTopics(admin, args, timeoutMs) : usage(args[0]);
    } catch (ExecutionException e) {
      System.err.println("kafka.sh: " + args[0] + " against " + args[1] + " failed: " + e.getCause());
      rc = 1;
    } catch (java.util.concurrent.TimeoutException e) {
      System.err.println("kafka.sh: " + args[0] + ": no answer from " + args[1] + " within " + timeoutMs + " ms");
      rc = 1;
    } catch (Exception e) {
      System.err.println("kafka.sh: " + args[0] + " against " + args[1] + " failed: " + e);
      rc = 1;
    } finally {
      admin.close(Duration.ofSeconds(2));
    }
    System.exit(rc);
  }

  static int usage(String cmd) { System.err.println("KafkaDevTool: unknown command " + cmd); return 2; }

  /** CreateTopics returns when the controller commits; wait until the broker serves every partition too. */
  static void awaitLeaders(Admin admin, List<NewTopic> topics, long timeoutMs) throws Exception {
    List<String> names = new ArrayList<>();
    for (NewTopic t : topics) names.add(t.name());
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      try {
        boolean ready = true;
        for (TopicDescription d : admin.describeTopics(names).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).values())
          for (org.apache.kafka.common.TopicPartitionInfo p : d.partitions()) ready &= p.leader() != null && !p.leader().isEmpty();
        if (ready) return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) throw e;
      }
      if (System.currentTimeMillis() > deadline) throw new java.util.concurrent.TimeoutException();
      Thread.sleep(100);
    }
  }

  static int createTopics(Admin admin, String[] args, long timeoutMs) throws Exception {
    int partitions = Integer.parseInt(args[2]);
    short rf = Short.parseShort(args[3]);
    // Each TOPIC is NAME or NAME@config=value,config=value (e.g. cleanup.policy=compact).
    Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
    for (String spec : Arrays.asList(args).subList(4, args.length)) {
      String[] parts = spec.split("@", 2);
      Map<String, String> configs = new HashMap<>();
      if (parts.length == 2) for (String kv : parts[1].split(",")) { String[] p = kv.split("=", 2); configs.put(p[0], p[1]); }
      String minIsr = System.getProperty("minInsyncReplicas", "");
      if (!minIsr.isEmpty()) configs.putIfAbsent("min.insync.replicas", minIsr);
      wanted.put(parts[0], configs);
    }
    Set<String> existing = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
        .get(timeoutMs, TimeUnit.MILLISECONDS);
    List<NewTopic> missing = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> t : wanted.entrySet())
      if (!existing.contains(t.getKey())) missing.add(new NewTopic(t.getKey(), partitions, rf).configs(t.getValue()));
    int created = 0, failed = 0;
    if (!missing.isEmpty()) {
      Map<String, org.apache.kafka.common.KafkaFuture<Void>> results = admin.createTopics(missing).values();
      for (NewTopic t : missing) {
        try {
          results.get(t.name()).get(timeoutMs, TimeUnit.MILLISECONDS);
          created++;
          System.out.println("created " + t.name());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof TopicExistsException) continue; // created concurrently: fine
          failed++;
          System.err.println("kafka.sh: could not create " + t.name() + ": " + e.getCause().getMessage());
        }
      }
    }
    if (created > 0) awaitLeaders(admin, missing, timeoutMs);
    System.out.println(created + " topic(s) created, " + (wanted.size() - created - failed)
        + " already existed" + (failed > 0 ? ", " + failed + " failed" : ""));
    return failed == 0 ? 0 : 1;
  }
}
JAVA
}

# Writes the quiet log4j config used by CLI calls (errors only, to stderr).
write_cli_log4j() {
  local f="$TOOL_DIR/log4j-cli.properties"
  [[ -f "$f" ]] && return 0
  cat >"$f.tmp.$$" <<'EOF'
log4j.rootLogger=ERROR, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
  mv "$f.tmp.$$" "$f"
}

ensure_devtool() {
  cmd_fetch quiet
  mkdir -p "$TOOL_DIR"
  write_cli_log4j
  local src; src="$(devtool_source)"
  if [[ -f "$TOOL_DIR/KafkaDevTool.class" && -f "$TOOL_DIR/KafkaDevTool.java" ]] \
      && [[ "$(cat "$TOOL_DIR/KafkaDevTool.java")" == "$src" ]]; then
    return 0
  fi
  require javac "install a full JDK 17+ (javac compiles the small topic helper once)"
  local tmp="$TOOL_DIR/build.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  printf '%s\n' "$src" >"$tmp/KafkaDevTool.java"
  javac -nowarn -encoding UTF-8 -cp "$CLASSPATH_JARS" -d "$tmp" "$tmp/KafkaDevTool.java" \
    || { rm -rf "$tmp"; die "could not compile the KafkaDevTool helper"; }
  mv -f "$tmp/KafkaDevTool.class" "$TOOL_DIR/KafkaDevTool.class"
  mv -f "$tmp/KafkaDevTool.java" "$TOOL_DIR/KafkaDevTool.java"
  rm -rf "$tmp"
}

# run_cli MAIN_CLASS ARGS...: a Kafka CLI class with the cached jars and quiet logging.
run_cli() {
  java "${CLI_JVM_OPTS[@]}" -Dlog4j.configuration="file:$TOOL_DIR/log4j-cli.properties" \
    -cp "$CLASSPATH_JARS:$TOOL_DIR" "$@"
}

# ---------------------------------------------------------------------------------------------
# start / stop / status
# ---------------------------------------------------------------------------------------------

# Prints the PID of the broker started from this data dir, if it is alive; else returns 1.
managed_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid; pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled PID: it must still be a Kafka broker JVM.
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- " kafka.Kafka " || return 1
  fi
  printf '%s\n' "$pid"
}

log_tail() {
  local f
  for f in "$APP_LOG_DIR/server.log" "$APP_LOG_DIR/kafka.out"; do
    [[ -s "$f" ]] || continue
    printf -- '----- last lines of %s -----\n' "$f" >&2
    tail -n 25 "$f" >&2
  done
}

new_cluster_id() { # Kafka Uuid format: 16 random bytes, URL-safe base64, no padding, no leading '-'
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* && "$id" != AAAAAAAAAAAAAAAAAAAAA* ]] && break
  done
  printf '%s\n' "$id"
}

write_configs() {
  mkdir -p "$DATA_DIR" "$LOG_DIRS" "$APP_LOG_DIR"
  # Keep whatever lands in the data dir out of git even where no .gitignore covers it.
  [[ -f "$DATA_DIR/.gitignore" ]] || printf '*\n' >"$DATA_DIR/.gitignore"
  cat >"$PROPS" <<EOF
# Generated by tools/kafka/kafka.sh on every start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$LOG_DIRS
num.partitions=3
default.replication.factor=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=168
log.segment.bytes=104857600
EOF
  cat >"$LOG4J_PROPS" <<EOF
# Generated by tools/kafka/kafka.sh. Broker logs go to $APP_LOG_DIR/server.log.
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$APP_LOG_DIR/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=3
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.coordinator=INFO
EOF
}

format_storage() {
  [[ -f "$LOG_DIRS/meta.properties" ]] && return 0
  [[ -s "$CLUSTER_ID_FILE" ]] || new_cluster_id >"$CLUSTER_ID_FILE"
  local id out; id="$(tr -d '[:space:]' <"$CLUSTER_ID_FILE")"
  log "formatting KRaft storage in $LOG_DIRS (cluster id $id)"
  out="$(run_cli kafka.tools.StorageTool format -t "$id" -c "$PROPS" --ignore-formatted 2>&1)" \
    || { printf '%s\n' "$out" >&2; die "kafka.tools.StorageTool format failed"; }
}

# wait_ready PID T0: until the broker answers a Metadata request listing itself (kafka_answers).
wait_ready() {
  local pid="$1" t0="$2" deadline=$(($(date +%s) + START_TIMEOUT))
  while (($(date +%s) < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      log_tail
      die "the Kafka broker (pid $pid) exited during startup; full log: $APP_LOG_DIR/server.log"
    fi
    if kafka_answers "$HOST" "$PORT"; then
      log "broker ready on $HOST:$PORT in $(elapsed "$t0") s (pid $pid, cluster id $(tr -d '[:space:]' <"$CLUSTER_ID_FILE" 2>/dev/null || echo '?'))"
      return 0
    fi
    sleep 0.3
  done
  log_tail
  log "the broker did not answer on $HOST:$PORT within ${START_TIMEOUT} s; stopping it (pid $pid)"
  stop_pid "$pid"
  die "Kafka start timed out after ${START_TIMEOUT} s (KAFKA_START_TIMEOUT); full log: $APP_LOG_DIR/server.log"
}

cmd_start() {
  local t0 pid
  t0="$(now_ms)"
  if kafka_answers "$HOST" "$PORT"; then
    log "a Kafka broker already answers on $HOST:$PORT; nothing to do"
    echo "already-running $HOST:$PORT"
    return 0
  fi
  require java "install a Java 17+ runtime"
  mkdir -p "$DATA_DIR"
  take_lock "$DATA_DIR/.lock" 9

  if pid="$(managed_pid)"; then # started by a concurrent/previous call and still coming up
    log "broker from $DATA_DIR is starting (pid $pid); waiting for it"
    wait_ready "$pid" "$t0"
    echo "already-running $HOST:$PORT"
    return 0
  fi
  rm -f "$PID_FILE"
  if kafka_answers "$HOST" "$PORT"; then # came up while we waited for the lock
    echo "already-running $HOST:$PORT"
    return 0
  fi
  local p
  for p in "$PORT" "$CONTROLLER_PORT"; do
    ! port_open "$HOST" "$p" || die "port $HOST:$p is in use by something that is not a Kafka broker; set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
  done

  cmd_fetch quiet
  ensure_devtool
  write_configs
  format_storage

  log "starting Kafka $KAFKA_VERSION (KRaft) on $HOST:$PORT, controller $HOST:$CONTROLLER_PORT, data $DATA_DIR"
  local launcher=()
  command -v setsid >/dev/null 2>&1 && launcher=(setsid) # own session: survives the caller's Ctrl-C
  # shellcheck disable=SC2086 # heap/JVM options are word lists
  "${launcher[@]}" java $HEAP_OPTS \
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    ${KAFKA_JVM_OPTS:-} \
    -Dkafka.logs.dir="$APP_LOG_DIR" -Dlog4j.configuration="file:$LOG4J_PROPS" \
    -cp "$CLASSPATH_JARS" kafka.Kafka "$PROPS" \
    </dev/null >>"$APP_LOG_DIR/kafka.out" 2>&1 8>&- 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$PID_FILE"
  wait_ready "$pid" "$t0"
  echo "started $HOST:$PORT pid=$pid"
}

# stop_pid PID: SIGTERM, wait up to STOP_TIMEOUT s, then SIGKILL.
stop_pid() {
  local pid="$1" deadline=$(($(date +%s) + STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if (($(date +%s) >= deadline)); then
      log "broker (pid $pid) still running after ${STOP_TIMEOUT} s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
}

cmd_stop() {
  [[ -d "$DATA_DIR" ]] || { log "not running (no data dir $DATA_DIR)"; return 0; }
  take_lock "$DATA_DIR/.lock" 9
  local pid t0
  if ! pid="$(managed_pid)"; then
    rm -f "$PID_FILE"
    log "not running (no live broker started from $DATA_DIR)"
    return 0
  fi
  t0="$(now_ms)"
  log "stopping Kafka (pid $pid)"
  stop_pid "$pid"
  rm -f "$PID_FILE"
  log "stopped in $(elapsed "$t0") s"
}

cmd_status() {
  local pid=""
  pid="$(managed_pid)" || pid=""
  if kafka_answers "$HOST" "$PORT"; then
    if [[ -n "$pid" ]]; then
      echo "running: Kafka on $HOST:$PORT (pid $pid, data $DATA_DIR)"
    else
      echo "running: Kafka on $HOST:$PORT (not started from $DATA_DIR)"
    fi
    return 0
  fi
  if [[ -n "$pid" ]]; then
    echo "stopped: no Kafka broker answers on $HOST:$PORT (but pid $pid, started from $DATA_DIR, is alive: still starting, or on another port?)"
  else
    echo "stopped: nothing answers on $HOST:$PORT"
  fi
  return 1
}

# ---------------------------------------------------------------------------------------------
# topics
# ---------------------------------------------------------------------------------------------

bootstrap() { printf '%s\n' "${KAFKA_BOOTSTRAP:-$HOST:$PORT}"; }

cmd_create_topics() {
  (($# > 0)) || die "usage: kafka.sh create-topics <topic>..."
  local partitions="${KAFKA_PARTITIONS:-3}" replication="${KAFKA_REPLICATION_FACTOR:-1}" t0
  is_uint "$partitions" && ((partitions > 0)) || die "KAFKA_PARTITIONS must be a positive number"
  is_uint "$replication" && ((replication > 0)) || die "KAFKA_REPLICATION_FACTOR must be a positive number"
  require java "install a Java 17+ runtime"
  ensure_devtool
  t0="$(now_ms)"
  run_cli -DtimeoutMs="${KAFKA_DEVTOOL_TIMEOUT:-20000}" -DminInsyncReplicas="${KAFKA_MIN_INSYNC_REPLICAS:-}" \
    KafkaDevTool create-topics "$(bootstrap)" "$partitions" "$replication" "$@" \
    || die "create-topics failed against $(bootstrap) (is the broker up? try: kafka.sh status)"
  log "create-topics: $# topic(s) checked in $(elapsed "$t0") s"
}

# kafka.sh topics ARGS...: org.apache.kafka.tools.TopicCommand against the broker, e.g. `topics --list`.
cmd_topics() {
  require java "install a Java 17+ runtime"
  ensure_devtool
  run_cli org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap)" "$@"
}

usage() {
  cat >&2 <<EOF
usage: tools/kafka/kafka.sh <command>
  fetch                   download the Kafka $KAFKA_VERSION jars into the cache (once)
  start                   start a single-node KRaft broker on $HOST:\$KAFKA_PORT (no-op if one answers)
  stop                    stop the broker started from \$KAFKA_DATA_DIR
  status                  print running/stopped (exit 0/1)
  create-topics <t>...    create missing topics: NAME or NAME@config=value,... (\$KAFKA_PARTITIONS partitions,
                          \$KAFKA_REPLICATION_FACTOR replicas (1), \$KAFKA_MIN_INSYNC_REPLICAS if set)
  topics <args>...        run kafka-topics (TopicCommand), e.g. 'topics --list'
  logs                    follow the broker log
cache: $CACHE_DIR
data:  $DATA_DIR
EOF
}

main() {
  local cmd="${1:-}"
  (($# > 0)) && shift
  case "$cmd" in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    create-topics) cmd_create_topics "$@" ;;
    topics) cmd_topics "$@" ;;
    logs) exec tail -n 100 -F "$APP_LOG_DIR/server.log" ;;
    -h | --help | help) usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
