package io.siamesestreams.app;

import io.siamesestreams.config.ServiceConfig;
import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of the JVM together (the frame buffer, the
 * frame-id window segments and the gallery, per partition): one shared LRU block cache of
 * {@value ServiceConfig#ROCKSDB_MEMORY_BYTES} bytes (the service puts it in the Streams config) that also holds the
 * index and filter blocks and is charged for the memtables (through a shared write-buffer manager
 * capped at a quarter of it). Without it each store opens its own 50 MiB cache and up to three
 * 16 MiB memtables, which grows with partitions and window segments.
 *
 * <p>The cache and manager are created by the first store and shared by all stores of the JVM for
 * its lifetime; stores never close them.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

  /** Memtable size per store, bytes; two memtables per store at most. */
  static final long MEMTABLE_BYTES = 4L * 1024 * 1024;

  private static Cache cache;
  private static WriteBufferManager writeBufferManager;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(sharedCache(configs));
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(writeBufferManager);
    options.setMaxWriteBufferNumber(2);
    options.setWriteBufferSize(MEMTABLE_BYTES);
    options.setTableFormatConfig(table);
  }

  private static synchronized Cache sharedCache(Map<String, Object> configs) {
    if (cache == null) {
      long total = memoryBytes(configs);
      // 10 % of the cache reserved for index and filter blocks (high priority).
      cache = new LRUCache(total, -1, false, 0.1);
      writeBufferManager = new WriteBufferManager(total / 4, cache);
    }
    return cache;
  }

  /** The bound in {@code configs} (the Streams config), validated and defaulted by {@link ServiceConfig}. */
  static long memoryBytes(Map<String, Object> configs) {
    Object value = configs == null ? null : configs.get(ServiceConfig.ROCKSDB_MEMORY_BYTES);
    return (Long) ServiceConfig.value(ServiceConfig.ROCKSDB_MEMORY_BYTES, value);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and write-buffer manager are shared by every store: nothing to close per store.
  }
}
