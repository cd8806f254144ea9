import CDCMTK

/// One received C-STORE, valid only during the delegate's `store` call (it cannot be copied
/// out of it).
public struct StoreRequest: ~Copyable {
    public let association: AssociationInfo
    /// Affected SOP Class UID of the C-STORE-RQ command.
    public let affectedSOPClassUID: String
    /// Affected SOP Instance UID of the C-STORE-RQ command.
    public let affectedSOPInstanceUID: String
    /// SOP Class UID (0008,0016) of the dataset, "" when absent.
    public let sopClassUID: String
    /// SOP Instance UID (0008,0018) of the dataset, "" when absent.
    public let sopInstanceUID: String
    /// Study Instance UID (0020,000D) of the dataset, "" when absent.
    public let studyInstanceUID: String
    /// Series Instance UID (0020,000E) of the dataset, "" when absent.
    public let seriesInstanceUID: String
    /// Modality (0008,0060) of the dataset, "" when absent.
    public let modality: String
    /// Rows, Columns and NumberOfFrames of the dataset (0 when absent; frames 1 when absent, 0 when
    /// unreadable): what decoding it would allocate, known before anything is allocated.
    public let rows: Int, columns: Int, numberOfFrames: Int
    /// Transfer syntax the dataset arrived in (the presentation context's).
    public let transferSyntaxUID: String
    private let instance: OpaquePointer

    init(_ request: cdcm_store_request) {
        association = AssociationInfo(request.association.pointee)
        affectedSOPClassUID = String(cString: request.affected_sop_class_uid)
        affectedSOPInstanceUID = String(cString: request.affected_sop_instance_uid)
        sopClassUID = String(cString: request.sop_class_uid)
        sopInstanceUID = String(cString: request.sop_instance_uid)
        studyInstanceUID = String(cString: request.study_instance_uid)
        seriesInstanceUID = String(cString: request.series_instance_uid)
        modality = String(cString: request.modality)
        rows = Int(request.rows)
        columns = Int(request.columns)
        numberOfFrames = Int(request.number_of_frames)
        transferSyntaxUID = String(cString: request.transfer_syntax_uid)
        instance = request.instance
    }

    /// The Part 10 file (meta header + dataset as received), encoded into memory by DCMTK.
    ///
    /// The meta header is generated for the received transfer syntax, with MediaStorageSOPClass/
    /// InstanceUID from the dataset and SourceApplicationEntityTitle = the calling AE title; the
    /// dataset is written in the transfer syntax it arrived in (compressed pixel data stays
    /// compressed) with explicit lengths, like storescp. Encoded once; the bytes are valid only
    /// inside `body`.
    public func withFileBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        var bytes: UnsafePointer<UInt8>?
        var length = 0
        var err = [CChar](repeating: 0, count: 512)
        guard Int(cdcm_received_instance_file_bytes(instance, &bytes, &length, &err, err.count)) == CDCM_OK else {
            throw DICOMError(.writeFailed, "received instance \(sopInstanceUID): \(cString(err))")
        }
        return try body(UnsafeRawBufferPointer(start: bytes, count: length))
    }
}

/// The DIMSE status (and optional Error Comment) of a C-STORE-RSP.
public struct StoreResponse: Sendable, Equatable {
    /// DIMSE status, PS3.4 Annex B.2.3: 0x0000 success, 0xB0xx warning, 0xA7xx out of resources,
    /// 0xA9xx dataset does not match SOP class, 0xCxxx cannot understand.
    public var status: UInt16
    /// Error Comment (0000,0902) sent with the response; at most 64 characters are sent.
    public var errorComment: String?

    public static let success = StoreResponse(status: 0x0000)

    public init(status: UInt16, errorComment: String? = nil) {
        self.status = status
        self.errorComment = errorComment
    }
}

extension AssociationInfo {
    init(_ info: cdcm_association_info) {
        self.init(id: info.id, callingAETitle: String(cString: info.calling_ae),
                  calledAETitle: String(cString: info.called_ae), peerAddress: String(cString: info.peer_address))
    }
}
