package io.github.javaprometheus.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The migrations main code never reaches into client_java (or anything else) by reflection: JDK 26
 * warns when a final field is set that way and later JDKs refuse it, so the django names must not
 * depend on it. Checked on the compiled classes themselves: every class, nested ones included, has
 * its constant pool read, and no reflective type or member may appear in it.
 */
class NoReflectionTest {
  /** Reflective types and members, as they appear in a constant pool (internal names). */
  private static final List<String> FORBIDDEN_PREFIXES =
      List.of("java/lang/reflect/", "sun/misc/Unsafe", "jdk/internal/");

  private static final List<String> FORBIDDEN_MEMBERS =
      List.of(
          "setAccessible",
          "trySetAccessible",
          "getDeclaredField",
          "getDeclaredFields",
          "getDeclaredMethod",
          "getDeclaredMethods",
          "getDeclaredConstructor",
          "privateLookupIn",
          "findVarHandle",
          "findSetter");

  @Test
  void theMainClassesUseNoReflection() throws Exception {
    Map<String, List<String>> found = reflectiveReferences(MigrationGauges.class);
    // Not vacuous: the collector and its entry point are among the classes read.
    assertThat(found)
        .containsKeys(
            "io/github/javaprometheus/migrations/MigrationGauges.class",
            "io/github/javaprometheus/migrations/MigrationMetrics.class",
            "io/github/javaprometheus/migrations/FlywayMigrations.class");
    assertThat(found).allSatisfy((clazz, refs) -> assertThat(refs).as(clazz).isEmpty());
  }

  @Test
  void theScanSeesReflectionWhereThereIsSome() throws Exception {
    Map<String, List<String>> found = reflectiveReferences(NoReflectionTest.class);
    assertThat(found.get("io/github/javaprometheus/migrations/NoReflectionTest$Reflective.class"))
        .contains("java/lang/reflect/Field", "setAccessible", "getDeclaredField");
  }

  /** Never run: what the scan must catch, compiled into the test classes. */
  static final class Reflective {
    private Reflective() {}

    static void rename(Object target, String value) throws ReflectiveOperationException {
      Field f = target.getClass().getDeclaredField("name");
      f.setAccessible(true);
      f.set(target, value);
    }
  }

  /** For every class of {@code anchor}'s package in its class directory or jar: the references found. */
  private static Map<String, List<String>> reflectiveReferences(Class<?> anchor)
      throws IOException, URISyntaxException {
    Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    String pkg = anchor.getPackageName().replace('.', '/');
    Map<String, List<String>> result = new TreeMap<>();
    if (Files.isDirectory(root)) {
      scan(root, pkg, result);
    } else {
      try (FileSystem jar = FileSystems.newFileSystem(root)) {
        scan(jar.getPath("/"), pkg, result);
      }
    }
    return result;
  }

  private static void scan(Path root, String pkg, Map<String, List<String>> result)
      throws IOException {
    Path dir = root.resolve(pkg);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().endsWith(".class")) {
          List<String> refs = new ArrayList<>();
          for (String s : utf8Constants(Files.readAllBytes(p))) {
            if (FORBIDDEN_MEMBERS.contains(s) || FORBIDDEN_PREFIXES.stream().anyMatch(s::startsWith)) {
              refs.add(s);
            }
          }
          result.put(pkg + "/" + p.getFileName(), refs);
        }
      }
    }
  }

  /**
   * The CONSTANT_Utf8 entries of a class file (JVMS 4.4): every class, member and descriptor name it
   * refers to is one of them.
   */
  static List<String> utf8Constants(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    int count = in.readUnsignedShort();
    List<String> strings = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> strings.add(in.readUTF()); // Utf8: u2 length + modified UTF-8, as readUTF reads
        case 7, 8, 16, 19, 20 -> in.skipBytes(2); // Class, String, MethodType, Module, Package
        case 15 -> in.skipBytes(3); // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4); // Integer … InvokeDynamic
        case 5, 6 -> { // Long, Double: 8 bytes and two slots
          in.skipBytes(8);
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    return strings;
  }
}
