// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import picocli.CommandLine.Command;

/** {@code parley device ...}: the devices of your account (docs/cli.md, "Linked devices"). */
@Command(name = "device", mixinStandardHelpOptions = true,
        description = "Link, list and remove the devices of your account.",
        subcommands = {DeviceLinkCommand.class, DeviceAddCommand.class, DeviceListCommand.class, DeviceRemoveCommand.class})
final class DeviceCommand {}
