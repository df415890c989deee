// cfz_cmp_pass.cpp - an optional LLVM pass plugin (new pass manager) that
// reports the compares clang's -fsanitize-coverage=trace-cmp leaves out
// (docs/build.md, "The compare plugin"; docs/feedback.md):
//   - fcmp on float and double: a call to __sanitizer_cov_trace_cmpf / _cmpd
//     before the compare, the callbacks gcc's trace-cmp emits (the harness
//     records their bit patterns as 4- and 8-byte operands);
//   - icmp on integers wider than 64 bits (unsigned __int128, _BitInt(N)):
//     up to 128 bits, a call to __cfz_trace_cmp16(lo1, hi1, lo2, hi2), or
//     __cfz_trace_const_cmp16 when the first operand is a constant; wider,
//     __cfz_trace_cmpn(a, b, bytes) with both operands spilled to the stack.
// Usage: clang -fsanitize=fuzzer-no-link -fpass-plugin=libcfz_cmp_pass.so.
// The pass runs at the end of the optimisation pipeline (any -O level), so
// it sees the compares that survive optimisation; functions marked
// no_sanitize("coverage") and instructions marked nosanitize are skipped.
// Set CFZ_CMP_PASS_DEBUG=1 in clang's environment to print what it does.
#include <cstdlib>

#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace {

// The widest integer compare reported whole (wider ones by their first
// 64 bytes: the harness keeps at most that much of an operand).
constexpr unsigned MaxWideBytes = 64;

class CmpInstrumenter {
public:
  explicit CmpInstrumenter(Module &M) : Ctx(M.getContext()) {
    Type *Void = Type::getVoidTy(Ctx);
    Type *I64 = Type::getInt64Ty(Ctx);
    Type *I8Ptr = Type::getInt8PtrTy(Ctx);
    CmpF = M.getOrInsertFunction("__sanitizer_cov_trace_cmpf", Void,
                                 Type::getFloatTy(Ctx), Type::getFloatTy(Ctx));
    CmpD =
        M.getOrInsertFunction("__sanitizer_cov_trace_cmpd", Void,
                              Type::getDoubleTy(Ctx), Type::getDoubleTy(Ctx));
    Cmp16 =
        M.getOrInsertFunction("__cfz_trace_cmp16", Void, I64, I64, I64, I64);
    ConstCmp16 = M.getOrInsertFunction("__cfz_trace_const_cmp16", Void, I64,
                                       I64, I64, I64);
    CmpN = M.getOrInsertFunction("__cfz_trace_cmpn", Void, I8Ptr, I8Ptr, I64);
    Debug = getenv("CFZ_CMP_PASS_DEBUG") != nullptr;
  }

  bool run(Function &F) {
    if (F.isDeclaration() || F.hasFnAttribute(Attribute::NoSanitizeCoverage) ||
        F.hasFnAttribute(Attribute::DisableSanitizerInstrumentation) ||
        F.getName().startswith("__sanitizer_") ||
        F.getName().startswith("__cfz_"))
      return false;
    SmallVector<CmpInst *, 16> Cmps;
    for (BasicBlock &BB : F)
      for (Instruction &I : BB)
        if (auto *C = dyn_cast<CmpInst>(&I))
          if (!C->getMetadata("nosanitize") && wanted(*C))
            Cmps.push_back(C);
    for (CmpInst *C : Cmps) {
      if (C->getOperand(0)->getType()->isIntegerTy())
        instrumentWide(*C);
      else
        instrumentFloat(*C);
      if (Debug)
        errs() << "cfz_cmp_pass: " << F.getName() << ": " << *C << "\n";
    }
    return !Cmps.empty();
  }

private:
  // Scalar float/double compares (fcmp true/false compare nothing), and
  // integer compares wider than 64 bits.
  static bool wanted(const CmpInst &C) {
    Type *T = C.getOperand(0)->getType();
    if (auto *FC = dyn_cast<FCmpInst>(&C))
      return (T->isFloatTy() || T->isDoubleTy()) &&
             FC->getPredicate() != CmpInst::FCMP_TRUE &&
             FC->getPredicate() != CmpInst::FCMP_FALSE;
    return T->isIntegerTy() && T->getIntegerBitWidth() > 64;
  }

  void instrumentFloat(CmpInst &C) {
    IRBuilder<> B(&C);
    bool IsFloat = C.getOperand(0)->getType()->isFloatTy();
    B.CreateCall(IsFloat ? CmpF : CmpD, {C.getOperand(0), C.getOperand(1)});
  }

  // Integers of 65..128 bits as two 64-bit halves each (sign-extended for
  // signed predicates, so that a _BitInt(100) holding -1 reads as the
  // 16 bytes of an all-ones __int128); a constant first operand is passed
  // as such so that the harness always writes the constant back.
  void instrumentWide(CmpInst &C) {
    unsigned Bits = C.getOperand(0)->getType()->getIntegerBitWidth();
    if (Bits > 128) {
      instrumentWider(C, Bits);
      return;
    }
    IRBuilder<> B(&C);
    Value *A = C.getOperand(0), *Bv = C.getOperand(1);
    bool Const = false;
    if (isa<Constant>(A) != isa<Constant>(Bv)) {
      Const = true;
      if (!isa<Constant>(A))
        std::swap(A, Bv); // the const callbacks take the constant first
    }
    Type *I128 = Type::getInt128Ty(Ctx);
    Type *I64 = Type::getInt64Ty(Ctx);
    auto Halves = [&](Value *V, Value *&Lo, Value *&Hi) {
      Value *W = C.isSigned() ? B.CreateSExt(V, I128) : B.CreateZExt(V, I128);
      Lo = B.CreateTrunc(W, I64);
      Hi = B.CreateTrunc(B.CreateLShr(W, 64), I64);
    };
    Value *L1, *H1, *L2, *H2;
    Halves(A, L1, H1);
    Halves(Bv, L2, H2);
    B.CreateCall(Const ? ConstCmp16 : Cmp16, {L1, H1, L2, H2});
  }

  // Wider than 128 bits: both operands stored in stack slots (allocated in
  // the entry block) as whole 64-bit words, little-endian like the input.
  void instrumentWider(CmpInst &C, unsigned Bits) {
    unsigned Bytes = ((Bits + 63) / 64) * 8;
    Type *WT = Type::getIntNTy(Ctx, Bytes * 8);
    Function *F = C.getFunction();
    IRBuilder<> Entry(&*F->getEntryBlock().getFirstInsertionPt());
    AllocaInst *SA = Entry.CreateAlloca(WT);
    AllocaInst *SB = Entry.CreateAlloca(WT);
    IRBuilder<> B(&C);
    auto Store = [&](Value *V, AllocaInst *Slot) {
      Value *W = C.isSigned() ? B.CreateSExt(V, WT) : B.CreateZExt(V, WT);
      B.CreateStore(W, Slot);
      return B.CreateBitCast(Slot, Type::getInt8PtrTy(Ctx));
    };
    Value *PA = Store(C.getOperand(0), SA);
    Value *PB = Store(C.getOperand(1), SB);
    unsigned N = Bytes < MaxWideBytes ? Bytes : MaxWideBytes;
    B.CreateCall(CmpN, {PA, PB, B.getInt64(N)});
  }

  LLVMContext &Ctx;
  FunctionCallee CmpF, CmpD, Cmp16, ConstCmp16, CmpN;
  bool Debug = false;
};

struct CfzCmpPass : PassInfoMixin<CfzCmpPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    CmpInstrumenter I(M);
    bool Changed = false;
    for (Function &F : M)
      Changed |= I.run(F);
    return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
  }
  static bool isRequired() { return true; } // at -O0 too (optnone)
};

void registerCallbacks(PassBuilder &PB) {
  PB.registerOptimizerLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(CfzCmpPass());
      });
  // opt -passes=cfz-cmp (tests and debugging).
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        if (Name != "cfz-cmp")
          return false;
        MPM.addPass(CfzCmpPass());
        return true;
      });
}

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "cfz-cmp", "0.1", registerCallbacks};
}
