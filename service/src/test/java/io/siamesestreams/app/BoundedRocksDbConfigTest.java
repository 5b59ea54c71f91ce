package io.siamesestreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.config.ServiceConfig;
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
    assertThat(BoundedRocksDbConfig.memoryBytes(Map.of())).isEqualTo(64L * 1024 * 1024);
    assertThat(BoundedRocksDbConfig.memoryBytes(Map.of(ServiceConfig.ROCKSDB_MEMORY_BYTES, "134217728")))
        .isEqualTo(128L * 1024 * 1024);
    assertThatThrownBy(() -> BoundedRocksDbConfig.memoryBytes(Map.of(ServiceConfig.ROCKSDB_MEMORY_BYTES, "1024")))
        .isInstanceOf(ServiceConfig.InvalidSettingException.class)
        .hasMessageContaining(ServiceConfig.ROCKSDB_MEMORY_BYTES + "=1024").hasMessageContaining("at least 8388608");
  }

  @Test
  void serviceShouldRegisterItUnlessTheUserOverridesIt() {
    ServiceSettings settings = ServiceSettings.of(Map.of(ServiceConfig.BOOTSTRAP_SERVERS, "localhost:9092",
        ServiceConfig.MODEL_DIR, Path.of("model")));

    assertThat(SiameseService.streamsProperties(settings).get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
        .isEqualTo(BoundedRocksDbConfig.class.getName());
    java.util.Properties own = new java.util.Properties();
    own.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.OwnSetter");
    assertThat(SiameseService.streamsProperties(settings.with(own))
        .get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo("com.example.OwnSetter");
    assertThat(SiameseService.streamsProperties(settings.with(Map.of(ServiceConfig.ROCKSDB_MEMORY_BYTES, "134217728")))
        .get(ServiceConfig.ROCKSDB_MEMORY_BYTES)).isEqualTo("134217728");
  }
}
