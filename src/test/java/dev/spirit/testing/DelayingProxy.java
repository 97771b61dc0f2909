package dev.spirit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback that delivers every byte, in order, a fixed time after it arrived, in both directions: a
 * slow network link between the tool and the server, for tests that must not depend on how long a reply takes.
 */
public final class DelayingProxy implements AutoCloseable {
  private static final byte[] END = new byte[0];

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final long delayNanos;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<java.util.concurrent.atomic.AtomicBoolean> frozen = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  public DelayingProxy(String targetHost, int targetPort, long delayMillis) throws IOException {
    this(targetHost, targetPort, delayMillis, 0);
  }

  /** @param listenPort the port to listen on, 0 for any: a proxy closed and opened again on its port comes back */
  public DelayingProxy(String targetHost, int targetPort, long delayMillis, int listenPort) throws IOException {
    this.listener = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    daemon("proxy-accept", this::accept).start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** A JDBC URL to {@code schema} through the proxy, as {@link TestServer#jdbcUrl} makes one to the server. */
  public String jdbcUrl(TestServer server, String schema) {
    return server.jdbcUrl(schema).replace(server.host() + ":" + server.port(), "127.0.0.1:" + port());
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        frozen.add(stop);
        pump(client, server, stop);
        pump(server, client, stop);
      } catch (IOException e) {
        if (!closed) {
          System.err.println("proxy: " + e);
        }
      }
    }
  }

  /** One direction: a reader queues what arrives with its arrival time, a writer sends it once it is due. */
  private void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicBoolean stop) {
    BlockingQueue<Object[]> due = new LinkedBlockingQueue<>();
    daemon("proxy-read", () -> {
      byte[] buffer = new byte[65536];
      try (InputStream in = from.getInputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          due.add(new Object[] {System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)});
        }
      } catch (IOException e) {
        // the connection ended
      }
      due.add(new Object[] {System.nanoTime() + delayNanos, END});
    }).start();
    daemon("proxy-write", () -> {
      try (OutputStream out = to.getOutputStream()) {
        while (true) {
          Object[] next = due.take();
          long wait = (long) next[0] - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          byte[] bytes = (byte[]) next[1];
          if (bytes == END) {
            break;
          }
          while (stop.get()) {
            Thread.sleep(100); // frozen: nothing more is delivered, and nothing says so
          }
          out.write(bytes);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the connection ended
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }).start();
  }

  /**
   * Stops delivering anything on the connections open now, in both directions, without closing them: a half-open
   * connection as a failed-over address or a dropped NAT entry leaves it. New connections work as before.
   */
  public void freezeOpenConnections() {
    frozen.forEach(f -> f.set(true));
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    sockets.forEach(DelayingProxy::closeQuietly);
  }
}
