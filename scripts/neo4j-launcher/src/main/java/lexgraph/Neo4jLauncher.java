package lexgraph;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs an embedded Neo4j Community DBMS with Bolt on 127.0.0.1 until the JVM is told to stop.
 *
 * <p>Usage: {@code Neo4jLauncher <home-dir>}; the store goes to {@code <home-dir>/data}, Neo4j's
 * own debug log to {@code <home-dir>/logs}. Environment: LEXGRAPH_NEO4J_PORT (7687),
 * LEXGRAPH_NEO4J_PAGECACHE (1g). The line starting with {@value #READY} on stdout tells
 * scripts/neo4j that Bolt is listening and the default database is online.
 */
public final class Neo4jLauncher {
    static final String READY = "LEXGRAPH_NEO4J_READY";
    private static final String HOST = "127.0.0.1";

    private Neo4jLauncher() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: Neo4jLauncher <home-dir>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        int port = Integer.parseInt(env("LEXGRAPH_NEO4J_PORT", "7687"));
        long pageCache = ByteUnit.parse(env("LEXGRAPH_NEO4J_PAGECACHE", "1g"));

        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                    .setConfig(GraphDatabaseSettings.data_directory, home.resolve("data"))
                    .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                    // Otherwise each database reserves a 256 MiB transaction log file up front.
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    // Loopback-only dev/CI instance: any credentials the driver sends are accepted.
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    // No outbound "usage data" pings from a CI box.
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    // Netty otherwise idles 5 s before letting shutdown finish; stop/start in tests.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .build();
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("lexgraph: shutting down Neo4j");
            try {
                dbms.shutdown();
                System.out.println("lexgraph: Neo4j stopped cleanly");
            } finally {
                stopped.countDown();
            }
        }, "lexgraph-neo4j-shutdown"));

        String dbName = GraphDatabaseSettings.DEFAULT_DATABASE_NAME;
        if (!dbms.database(dbName).isAvailable(Duration.ofSeconds(120).toMillis())) {
            System.err.println("lexgraph: database '" + dbName + "' did not come online");
            System.exit(1);
        }
        System.out.println(READY + " bolt://" + HOST + ":" + port + " database=" + dbName);
        System.out.flush();

        // Keep main alive until the shutdown hook (SIGTERM/SIGINT) has closed the DBMS.
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
