// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.util.function.BiConsumer;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.util.InvalidDeliveryReceiptException;

/**
 * Reads delivery receipts ({@code deliver_sm} with the SMSC-receipt bit set) and hands on the gateway's
 * message id with the state it reports. The {@code receipted_message_id} and {@code message_state}
 * TLVs are preferred; gateways that send only the receipt text ({@code id:... stat:DELIVRD ...},
 * SMPP 3.4 Appendix B) are read from that. Anything else (a message from a handset) is acknowledged
 * and ignored: Parley does not receive SMS.
 */
final class ReceiptHandler implements MessageReceiverListener {
    private static final System.Logger LOG = System.getLogger(ReceiptHandler.class.getName());

    private final BiConsumer<String, PartState> sink;

    ReceiptHandler(BiConsumer<String, PartState> sink) {
        this.sink = sink;
    }

    @Override
    public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
        if (!deliverSm.isSmscDeliveryReceipt()) {
            return;
        }
        String id = null;
        PartState state = null;
        if (deliverSm.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID) instanceof OptionalParameter.OctetString rid) {
            id = rid.getValueAsString();
        }
        if (deliverSm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE) instanceof OptionalParameter.Byte ms) {
            state = PartState.ofMessageState(ms.getValue());
        }
        if (id == null || state == null) {
            try {
                var text = deliverSm.getShortMessageAsDeliveryReceipt();
                id = id != null ? id : text.getId();
                state = state != null ? state : PartState.ofReceiptStat(text.getFinalStatus().name());
            } catch (InvalidDeliveryReceiptException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "ignored a delivery receipt that has neither TLVs nor a readable text");
                return;
            }
        }
        // Strip the NUL a C-octet string may carry.
        sink.accept(id.replace("\0", "").strip(), state);
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        // 0x00000003 ESME_RINVCMDID: we take no data_sm.
        throw new ProcessRequestException("data_sm is not accepted", 0x00000003);
    }
}
