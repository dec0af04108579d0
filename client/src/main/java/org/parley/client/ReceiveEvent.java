// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/** What {@link ParleyClient#receive} hands its handler, in the order things happened. */
public sealed interface ReceiveEvent permits ReceivedMessage, UndecryptableMessage, IdentityChangeNotice,
        DeviceNoticeEvent, GroupMessage, GroupNotice, ReceiptNotice, TypingNotice,
        SessionResetNotice {}
