package srg.cli;

import picocli.CommandLine.Option;
import srg.judge.RefusalClassifier;

/** The refusal classifier's training options, shared by {@code srg judge train} and {@code srg judge lomo}. */
final class ClassifierOptions {

    private static final RefusalClassifier.Options D = RefusalClassifier.Options.DEFAULT;

    @Option(names = "--ngrams", paramLabel = "N", description = "Longest word n-gram (default: 3).")
    int ngrams = D.maxN();

    @Option(names = "--head", paramLabel = "TOKENS", description = "Opening tokens whose n-grams count apart; 0 for none (default: 64).")
    int head = D.head();

    @Option(names = "--c", paramLabel = "C", description = "Inverse L2 strength (default: 10).")
    double c = D.c();

    @Option(names = "--min-df", paramLabel = "N", description = "Keep n-grams found in at least N training responses (default: 2).")
    int minDf = D.minDf();

    RefusalClassifier.Options toOptions() {
        return new RefusalClassifier.Options(ngrams, head, c, minDf);
    }
}
