package srg.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The Apache ECharts library from its WebJar ({@code org.webjars.npm:echarts}) on the class path,
 * for inlining into self-contained HTML: reports must open offline, with no CDN.
 */
public final class EchartsLibrary {

    private static final String POM = "/META-INF/maven/org.webjars.npm/echarts/pom.properties";

    private EchartsLibrary() {}

    /** The minified library, safe to place inside a {@code <script>} element. */
    public static String script() {
        String js = read("/META-INF/resources/webjars/echarts/" + version() + "/dist/echarts.min.js");
        // A literal "</script" would end the element early; "<\/" means the same inside JS strings.
        return js.replace("</script", "<\\/script");
    }

    public static String version() {
        Properties p = new Properties();
        try (InputStream in = EchartsLibrary.class.getResourceAsStream(POM)) {
            if (in == null) {
                throw new IllegalStateException("the echarts WebJar is not on the class path (" + POM + ")");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static String read(String resource) {
        try (InputStream in = EchartsLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
