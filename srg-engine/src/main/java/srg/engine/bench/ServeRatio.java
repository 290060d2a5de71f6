package srg.engine.bench;

/**
 * The server's decode speed against the in-process engine's on the same model and load: the ratio
 * docs/PERFORMANCE.md tables. The in-process figure is measured before and after the server's run
 * and averaged, so that drift on a shared machine shows and counts half.
 *
 * @param inProcessBefore in-process decode tokens per second, before the server's run
 * @param inProcessAfter the same, after it
 * @param servedDecode the served scheduler's decode tokens per second (decode steps only)
 * @param servedOutput completion tokens per second as the clients saw them (prefills included)
 */
public record ServeRatio(double inProcessBefore, double inProcessAfter, double servedDecode, double servedOutput) {

    /** The mean of both in-process figures. */
    public double inProcess() {
        return (inProcessBefore + inProcessAfter) / 2;
    }

    /** Served over in-process decode, by decode steps. */
    public double decode() {
        return servedDecode / inProcess();
    }

    /** Served output as clients see it over in-process decode. */
    public double output() {
        return servedOutput / inProcess();
    }
}
