// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The version and git commit this CLI was built from. The build writes them to
 * {@code org/parley/cli/version.properties} (cli/pom.xml: Maven's {@code project.version} and
 * {@code git rev-parse HEAD}); a build from a source tree without git says {@code unknown} for the commit.
 */
record BuildVersion(String version, String commit) {
    static final String UNKNOWN = "unknown";
    private static final String RESOURCE = "version.properties";

    static BuildVersion current() {
        Properties p = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // Unreadable resource: report what is known, which is nothing.
        }
        return new BuildVersion(known(p.getProperty("version")), known(p.getProperty("commit")));
    }

    /** Blank, or a Maven property the build did not resolve, is unknown. */
    private static String known(String value) {
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.strip();
    }

    /** picocli's {@code --version}: one line, e.g. {@code parley 0.1.0-SNAPSHOT (commit 1a2b3c4d5e6f)}. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildVersion v = current();
            return new String[] {"parley " + v.version() + " (commit " + v.commit() + ")"};
        }
    }
}
