package srg.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The machine line of a benchmark, from /proc's fields, and what it says where they are missing. */
class MachineTest {

    @Test
    void namesTheCpuTheCpusTheMemoryAndJava() {
        List<String> cpuinfo = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "model name\t: AMD EPYC 7B13", "flags\t\t: fpu");
        List<String> meminfo = List.of("MemTotal:       24528896 kB", "MemFree:         1000 kB");
        assertEquals("AMD EPYC 7B13", Machine.field(cpuinfo, "model name"));
        assertNull(Machine.field(cpuinfo, "model"), "a field is matched by its whole name");
        assertEquals("AMD EPYC 7B13, 2 CPUs, 23.4 GiB, Java 17.0.2", Machine.describe(cpuinfo, meminfo, 2, "17.0.2"));
        assertEquals("unknown CPU, 4 CPUs, unknown memory, Java 21", Machine.describe(List.of(), List.of("MemTotal: lots"), 4, "21"));
    }

    @Test
    void thisMachine() {
        String line = Machine.describe();
        assertTrue(line.contains(Runtime.getRuntime().availableProcessors() + " CPUs") && line.endsWith("Java " + Runtime.version()), line);
        String load = Machine.loadAverage();
        assertTrue(load.equals("unknown") || load.matches("[0-9.]+ [0-9.]+ [0-9.]+"), load);
    }
}
