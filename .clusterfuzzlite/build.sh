#!/bin/bash -eu
# Builds vmx4j's @FuzzTest targets for OSS-Fuzz / ClusterFuzzLite (docs/FUZZING.md,
# "Scale-out"). Each target becomes one fuzzer script in $OUT that runs Jazzer on the JUnit
# @FuzzTest method (jazzer's --target_class/--target_method for JUnit fuzz tests).
export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
mvn -B -ntp -q -DskipTests package
mvn -B -ntp -q -DskipTests test-compile
mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=deps.txt -pl test-fixtures -am
cp test-fixtures/deps.txt $OUT/deps.txt
for m in ept-mmu vmx-model emulator-core test-fixtures; do
  mkdir -p $OUT/$m
  cp -r $m/target/classes $OUT/$m/classes
  cp -r $m/target/test-classes $OUT/$m/test-classes
done
CP='$this_dir/ept-mmu/classes:$this_dir/vmx-model/classes:$this_dir/emulator-core/classes:$this_dir/test-fixtures/classes'
CP=$CP':$this_dir/ept-mmu/test-classes:$this_dir/vmx-model/test-classes:$this_dir/emulator-core/test-classes:$this_dir/test-fixtures/test-classes'
# class#method of every target in docs/FUZZING.md's table
for target in \
    dev.vmx4j.core.decoder.DecoderFuzzTest#anyBytesInAnyMode_decodeKeepsItsContract \
    dev.vmx4j.core.cpu.MachineFuzzTest#anyCodeAndRegisters_runNeverThrowsAndFastMatchesReference \
    dev.vmx4j.mmu.paging.PageWalkerFuzzTest#anyTablesAndState_walkKeepsItsContractAndTlbAgrees \
    dev.vmx4j.mmu.ept.EptFuzzTest#anyEptTables_walkKeepsItsContract \
    dev.vmx4j.vmx.profile.CpuProfileFuzzTest#anyText_parsesOrNamesTheBadLine \
    dev.vmx4j.vmx.entry.EntryCheckerFuzzTest#anyVmcs_checksKeepTheirContract \
    dev.vmx4j.fixtures.vmx.VmcsContractFuzzTest#anyFieldCombination_entryChecksStoreAndMinimizerKeepTheirContracts \
    dev.vmx4j.fixtures.vmx.VmxSequenceFuzzTest#anyInstructionSequence_keepsTheContracts; do
  class=${target%#*}
  method=${target#*#}
  name=$(basename ${class//./\/})_$method
  cat > $OUT/$name <<SCRIPT
#!/bin/bash
this_dir=\$(dirname "\$0")
LD_LIBRARY_PATH="\$JVM_LD_LIBRARY_PATH":\$this_dir \\
\$this_dir/jazzer_driver --agent_path=\$this_dir/jazzer_agent_deploy.jar \\
  --cp=$CP:\$(cat \$this_dir/deps.txt) \\
  --target_class=$class --target_method=$method --jvm_args="-Xss4m" \$@
SCRIPT
  chmod +x $OUT/$name
  # the committed regression inputs are the seed corpus
  for m in ept-mmu vmx-model emulator-core test-fixtures; do
    inputs=$m/src/test/resources/${class//.//}Inputs/$method
    if [ -d "$inputs" ]; then
      (cd "$inputs" && zip -q -r $OUT/${name}_seed_corpus.zip .)
    fi
  done
done
