package io.github.javaprometheus.multiprocess;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which process ids of a directory belong to a live process, told by the kernel rather than by pid
 * numbers: the store of id {@code X} holds an exclusive lock on {@code .java-prometheus-X.lock} for
 * the life of its process. The kernel drops the lock when the process ends, {@code kill -9}
 * included, whatever pid namespace it ran in; so a free lock means the owner is gone, and a new
 * process with the same id (a reused pid, a restarted container) is told apart from the dead one.
 *
 * <p>Two byte ranges of the lock file are used: byte 0, held for the whole life of the owner
 * ("alive"), and byte 1, held while a starting owner removes the live-gauge files left by a
 * previous owner of its id ("resetting"). Readers take shared locks, so a collector on a read-only
 * mount can test them too.
 *
 * <ul>
 *   <li>Owner start-up: lock byte 1, then byte 0, remove {@code gauge_live*_X.db}, release byte 1.
 *       Byte 0 held by a live process after a bounded wait: another live process uses the id.
 *   <li>Merge: byte 0 free: the owner is dead; its live files are removed while byte 0 is held
 *       shared (no new owner can start meanwhile) and skipped. Byte 0 held and byte 1 held: the
 *       files are being reset and are skipped for this scrape. No lock file: the writer is not
 *       one of ours (a Python process): its files are merged, as Python does.
 * </ul>
 *
 * <p>POSIX locks belong to the process, and closing any descriptor of a file drops all of the
 * process's locks on it; so this JVM never opens a lock file it holds (the {@code HELD} table),
 * closes its read channel of a lock file before taking it, and serialises taking and testing
 * locks. Lock files are empty and stay in the
 * directory (one per id ever used); they are cleaned with the directory.
 */
final class ProcessLocks {
  static final String PREFIX = ".java-prometheus-";
  static final String SUFFIX = ".lock";
  private static final System.Logger LOG = System.getLogger(ProcessLocks.class.getName());
  private static final long ALIVE = 0;
  private static final long RESETTING = 1;
  /** Lock files held by this JVM, with their channels (which must stay open). Guarded by the class. */
  private static final Map<Path, FileLock> HELD = new HashMap<>();
  /**
   * Read channels of other processes' lock files, kept open between merges: a check is then two
   * fcntl calls, not an open and a close too. Guarded by the class; closed when the owner is found
   * dead, when this JVM takes the id, and all at once past {@link #MAX_OBSERVED}.
   */
  private static final Map<Path, FileChannel> OBSERVED = new HashMap<>();
  private static final int MAX_OBSERVED = 4096;

  /** How the owner of a process id stands, as a merge sees it. */
  enum State {
    /** Its owner holds the lock (or the id belongs to this JVM). */
    ALIVE,
    /** A new owner is removing the previous owner's live files: skip them this time. */
    RESETTING,
    /** The lock file exists and nobody holds it: the owner ended; its live files were removed. */
    DEAD,
    /** No lock file: not written by this library (Python), or locks are not supported. */
    UNKNOWN
  }

  /** Thrown when another live process holds the id. */
  static final class IdInUse extends Exception {
    private static final long serialVersionUID = 1L;

    IdInUse(String message) {
      super(message);
    }
  }

  private ProcessLocks() {}

  static Path lockFile(Path directory, String processId) {
    return directory.resolve(PREFIX + processId + SUFFIX);
  }

  /**
   * Makes this process the owner of {@code processId} in {@code directory} and removes the live
   * gauge files a previous owner left. Returns false (after logging why) when the file system
   * does not support locks: then the live files of this process are not removed automatically
   * when it ends.
   *
   * @throws IdInUse when a live process still holds the id after {@code waitMillis}
   */
  static boolean acquire(Path directory, String processId, long waitMillis) throws IdInUse {
    Path file = lockFile(directory, processId);
    long deadline = System.nanoTime() + waitMillis * 1_000_000L;
    while (true) {
      synchronized (ProcessLocks.class) {
        if (HELD.containsKey(file)) {
          return true;
        }
        try {
          if (tryAcquire(directory, processId, file)) {
            return true;
          }
        } catch (IOException | UnsupportedOperationException e) {
          LOG.log(
              System.Logger.Level.WARNING,
              "java-prometheus: cannot lock " + file + " (" + e + "); the live gauges of process "
                  + processId + " will not be removed automatically when it ends");
          return false;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IdInUse(
            "process id " + processId + " is in use by another live process writing " + directory
                + " (" + file.getFileName() + " is locked)");
      }
      try {
        Thread.sleep(5); // a merge holds a shared lock for microseconds
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IdInUse("interrupted while waiting for the lock of process id " + processId);
      }
    }
  }

  /** One attempt; the caller holds the class monitor. */
  private static boolean tryAcquire(Path directory, String processId, Path file) throws IOException {
    // Closing a descriptor drops every lock of the process on the file: never after taking it.
    closeObserved(file);
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    boolean keep = false;
    try {
      FileLock resetting = channel.tryLock(RESETTING, 1, false);
      if (resetting == null) {
        return false;
      }
      FileLock alive = channel.tryLock(ALIVE, 1, false);
      if (alive == null) {
        return false;
      }
      // The previous owner of this id is gone: its live values are not ours to continue.
      MultiprocessCollector.markProcessDead(directory, processId);
      resetting.release();
      HELD.put(file, alive);
      keep = true;
      return true;
    } finally {
      if (!keep) {
        channel.close(); // releases whatever this attempt locked
      }
    }
  }

  /**
   * The state of {@code processId}'s owner; when it is dead, its live gauge files are removed
   * first (best effort: a read-only directory keeps them, and the merge skips them anyway).
   */
  static synchronized State check(Path directory, String processId) {
    Path file = lockFile(directory, processId);
    if (HELD.containsKey(file)) {
      return State.ALIVE;
    }
    FileChannel channel = OBSERVED.get(file);
    if (channel == null) {
      try {
        channel = FileChannel.open(file, StandardOpenOption.READ);
      } catch (IOException | SecurityException e) {
        return State.UNKNOWN; // no lock file (NoSuchFileException): not one of ours
      }
      if (OBSERVED.size() >= MAX_OBSERVED) {
        for (Path p : new ArrayList<>(OBSERVED.keySet())) {
          closeObserved(p);
        }
      }
      OBSERVED.put(file, channel);
    }
    try {
      FileLock alive = channel.tryLock(ALIVE, 1, true);
      if (alive != null) {
        // Nobody owns the id, and no new owner can take it while this shared lock is held.
        try {
          int removed = MultiprocessCollector.markProcessDead(directory, processId);
          if (removed > 0) {
            LOG.log(
                System.Logger.Level.DEBUG,
                "java-prometheus: process " + processId + " of " + directory
                    + " has ended; removed its " + removed + " live gauge file(s)");
          }
        } catch (RuntimeException e) {
          LOG.log(
              System.Logger.Level.DEBUG,
              "java-prometheus: cannot remove the live gauge files of ended process " + processId + ": " + e);
        }
        // Releases the shared lock; after it the id may get a new owner: look afresh next time.
        closeObserved(file);
        return State.DEAD;
      }
      FileLock resetting = channel.tryLock(RESETTING, 1, true);
      if (resetting == null) {
        return State.RESETTING;
      }
      resetting.release();
      return State.ALIVE;
    } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
      closeObserved(file);
      return State.UNKNOWN;
    }
  }

  /** Closes the read channel of {@code file}, if open; this JVM holds no lock through it then. */
  private static void closeObserved(Path file) {
    FileChannel channel = OBSERVED.remove(file);
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing was held through it
      }
    }
  }

  /**
   * Removes the live gauge files of every other id of the directory whose owner has ended: what
   * a new process does at start-up, so that a directory no one scrapes for a while does not keep
   * them.
   */
  static void sweep(Path directory, String self) {
    TreeSet<String> ids = new TreeSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "gauge_live*_*.db")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        String id = name.substring(name.lastIndexOf('_') + 1, name.length() - 3);
        if (!id.isEmpty() && !id.equals(self)) {
          ids.add(id);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "java-prometheus: cannot list " + directory + ": " + e);
      return;
    }
    for (String id : ids) {
      check(directory, id);
    }
  }
}
