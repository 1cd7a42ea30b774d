package dev.reloadly.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `--version` prints the version the jar's manifest carries (operator/pom.xml puts it there). */
class MainVersionTest {
  @Test
  void versionComesFromTheJarManifest(@TempDir Path dir) throws Exception {
    Path jar = jarOfMain(dir.resolve("operator.jar"), "9.8.7");

    try (URLClassLoader loader = new MainFirst(jar.toUri().toURL())) {
      Class<?> provider = loader.loadClass(Main.Version.class.getName());
      assertThat(provider.getClassLoader()).isSameAs(loader);
      var constructor = provider.getDeclaredConstructor();
      constructor.setAccessible(true);

      assertThat(((CommandLine.IVersionProvider) constructor.newInstance()).getVersion())
          .containsExactly("reloadly-credential-operator 9.8.7");
    }
  }

  @Test
  void runFromClassesTheVersionIsDev() throws Exception {
    assertThat(Main.class.getPackage().getImplementationVersion()).isNull();
    assertThat(new Main.Version().getVersion()).containsExactly("reloadly-credential-operator dev");
  }

  /** A jar holding Main and its version provider under a manifest with this version. */
  private static Path jarOfMain(Path jar, String version) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      for (Class<?> type : List.of(Main.class, Main.Version.class)) {
        String entry = type.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(entry));
        try (InputStream in = MainVersionTest.class.getClassLoader().getResourceAsStream(entry)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return jar;
  }

  /** Loads Main and its nested classes from the jar (defining the package from its manifest). */
  private static final class MainFirst extends URLClassLoader {
    MainFirst(URL jar) {
      super(new URL[] {jar}, MainVersionTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(Main.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        return loaded != null ? loaded : findClass(name);
      }
    }
  }
}
