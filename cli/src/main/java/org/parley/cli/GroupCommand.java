// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.parley.client.ParleyClient;
import org.parley.client.store.GroupRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code parley group ...}: groups whose membership lives only on the members' devices (the server
 * never learns who is in a group). Each change is sent end-to-end to every member device.
 */
@Command(name = "group", mixinStandardHelpOptions = true,
        description = "Groups: create, add, remove, rename, leave, list. Send with `parley send --group ID TEXT`.",
        subcommands = {GroupCommand.Create.class, GroupCommand.Add.class, GroupCommand.Remove.class,
            GroupCommand.Rename.class, GroupCommand.Leave.class, GroupCommand.ListGroups.class})
final class GroupCommand {
    private GroupCommand() {}

    /** Prints a group after a change: its id first, so scripts can pick it up. */
    abstract static class Change extends UserCommand {
        int report(String verb, GroupRecord group) {
            if (json()) {
                printJson(describe(group));
            } else {
                printLine(verb + " group " + group.name() + " (" + group.id() + "): " + handles(group));
            }
            return OK;
        }
    }

    static Map<String, Object> describe(GroupRecord group) {
        return UserCommand.fields("id", group.id(), "name", group.name(), "revision", group.revision(),
                "active", group.active(), "members", group.members().stream()
                        .map(m -> UserCommand.fields("handle", m.handle(), "accountId", m.accountId())).toList());
    }

    static String handles(GroupRecord group) {
        return group.members().stream().map(m -> m.handle() != null ? m.handle() : m.accountId())
                .collect(Collectors.joining(", "));
    }

    @Command(name = "create", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
            description = "Create a group of you and HANDLEs; prints its id.")
    static final class Create extends Change {
        @Parameters(index = "0", paramLabel = "NAME", description = "The group's name (1 to 100 characters).")
        String name;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "HANDLE", description = "The other members.")
        List<String> handles;

        @Override
        Integer precheck() {
            return checkHandles(handles);
        }

        @Override
        int run(ParleyClient client) {
            return report("created", client.createGroup(name, handles));
        }
    }

    /** {@code ID HANDLE...}: what {@code add} and {@code remove} take (picocli reads the inherited fields). */
    abstract static class MembershipChange extends Change {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "HANDLE")
        List<String> handles;

        @Override
        Integer precheck() {
            return checkHandles(handles);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
            description = "Add HANDLEs to group ID. They can read only what is sent from now on.")
    static final class Add extends MembershipChange {
        @Override
        int run(ParleyClient client) {
            return report("added to", client.addToGroup(id, handles));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
            description = "Remove HANDLEs from group ID. Your sender key is replaced, so they cannot read what follows.")
    static final class Remove extends MembershipChange {
        @Override
        int run(ParleyClient client) {
            return report("removed from", client.removeFromGroup(id, handles));
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
            description = "Rename group ID.")
    static final class Rename extends Change {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME", description = "Words joined with spaces.")
        List<String> name;

        @Override
        int run(ParleyClient client) {
            return report("renamed", client.renameGroup(id, String.join(" ", name)));
        }
    }

    @Command(name = "leave", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
            description = "Leave group ID; the other members are told and replace their sender keys.")
    static final class Leave extends Change {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(ParleyClient client) {
            return report("left", client.leaveGroup(id));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
            description = "List your groups: id, name, members (groups you left are marked).")
    static final class ListGroups extends UserCommand {
        @Override
        int run(ParleyClient client) {
            List<GroupRecord> groups = client.groups();
            if (json()) {
                printJson(groups.stream().map(GroupCommand::describe).toList());
                return OK;
            }
            if (groups.isEmpty()) {
                printLine("no groups");
                return OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "NAME", "MEMBERS"});
            for (GroupRecord g : groups) {
                rows.add(new String[] {g.id(), g.name() + (g.active() ? "" : " (left)"), handles(g)});
            }
            Tables.print(out(), rows);
            out().flush();
            return OK;
        }
    }
}
