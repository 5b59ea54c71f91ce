package io.siamesestreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbConfigTest {

  @Test
  void shouldCapMemtablesAndUseTheSharedCacheForIndexAndFilterBlocks() {
    RocksDB.loadLibrary();
    try (Options options = new Options()) {
      options.setTableFormatConfig(new BlockBasedTableConfig());
      new BoundedRocksDbConfig().setConfig("frame-buffer", options, Map.of());

      assertThat(options.writeBufferSize()).isEqualTo(BoundedRocksDbConfig.MEMTABLE_BYTES);
      assertThat(options.maxWriteBufferNumber()).isEqualTo(2);
      BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
      assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
      assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
    }
  }

  @Test
  void shouldReadTheMemoryBoundFromTheStreamsConfigAndRejectTinyOnes() {
    assertThat(BoundedRocksDbConfig.memoryBytes(Map.of())).isEqualTo(BoundedRocksDbConfig.DEFAULT_MEMORY_BYTES);
    assertThat(BoundedRocksDbConfig.memoryBytes(Map.of(BoundedRocksDbConfig.MEMORY_BYTES_CONFIG, "134217728")))
        .isEqualTo(128L * 1024 * 1024);
    assertThatThrownBy(() -> BoundedRocksDbConfig.memoryBytes(Map.of(BoundedRocksDbConfig.MEMORY_BYTES_CONFIG, "1024")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 MiB");
  }

  @Test
  void serviceShouldRegisterItUnlessTheUserOverridesIt() {
    ServiceSettings settings = ServiceSettings.defaults("localhost:9092", Path.of("model"));

    assertThat(SiameseService.streamsProperties(settings).get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
        .isEqualTo(BoundedRocksDbConfig.class.getName());
    java.util.Properties own = new java.util.Properties();
    own.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.OwnSetter");
    assertThat(SiameseService.streamsProperties(settings.withKafkaProperties(own))
        .get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo("com.example.OwnSetter");
  }
}
