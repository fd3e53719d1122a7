#!/usr/bin/env bash
# Builds the benchmarks, runs every subject with 1 and 2 threads under -prof gc, then prints the
# README's Performance table and the processor's compile-time cost beside its peers'.
# About 30 minutes on 2 cores: the JMH runs about 10, the compile cost 16 to 19 (on a machine shared
# with other builds).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests -pl benchmarks -am
# The peer processors' class paths and processor paths, into benchmarks/target/processor-cost.
mvn -B -q -f benchmarks/peers/pom.xml package
out=benchmarks/target
java -jar $out/benchmarks.jar -t 1 -prof gc -rf csv -rff $out/threads-1.csv | tee $out/threads-1.txt
java -jar $out/benchmarks.jar -t 2 -prof gc -rf csv -rff $out/threads-2.csv | tee $out/threads-2.txt
java -cp $out/benchmarks.jar dev.resilient.benchmarks.Report $out/threads-1.csv $out/threads-2.csv | tee $out/table.md
version=0.1.0-SNAPSHOT
java -cp $out/benchmarks.jar dev.resilient.benchmarks.ProcessorCost \
    annotations/target/resilient-annotations-$version.jar \
    runtime/target/resilient-runtime-$version.jar \
    processor/target/resilient-processor-$version.jar \
    $out/processor-cost | tee $out/processor-cost.txt
